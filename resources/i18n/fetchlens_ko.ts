<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
    <context>
        <name>About</name>
        <message>
            <location filename="../../gui/app/about.py" />
            <source>About Fetchlens</source>
            <translation>Fetchlens 정보</translation>
        </message>
        <message>
            <location filename="../../gui/app/about.py" />
            <source>Fetch a batch of URLs in sync, threads or async mode and watch every request live.</source>
            <translation>URL 여러 개를 동기, 스레드, 비동기 모드로 한꺼번에 가져오고 모든 요청을 실시간으로 지켜봅니다.</translation>
        </message>
    </context>
    <context>
        <name>Compare</name>
        <message>
            <location filename="../../gui/compare/parts.py" />
            <source>sync</source>
            <translation>동기</translation>
        </message>
        <message>
            <location filename="../../gui/compare/parts.py" />
            <source>threads</source>
            <translation>스레드</translation>
        </message>
        <message>
            <location filename="../../gui/compare/parts.py" />
            <source>async</source>
            <translation>비동기</translation>
        </message>
        <message>
            <location filename="../../gui/compare/parts.py" />
            <source>one at a time</source>
            <translation>한 번에 하나씩</translation>
        </message>
        <message>
            <location filename="../../gui/compare/parts.py" />
            <source>{n} threads at once</source>
            <translation>스레드 {n}개로 동시에</translation>
        </message>
        <message>
            <location filename="../../gui/compare/parts.py" />
            <source>{n} at once, one thread</source>
            <translation>스레드 하나로 {n}개 동시에</translation>
        </message>
        <message>
            <location filename="../../gui/compare/parts.py" />
            <source>one request after another</source>
            <translation>요청을 하나씩 차례로</translation>
        </message>
        <message>
            <location filename="../../gui/compare/parts.py" />
            <source>{n} threads, blocking requests side by side</source>
            <translation>스레드 {n}개, 블로킹 요청을 나란히</translation>
        </message>
        <message>
            <location filename="../../gui/compare/parts.py" />
            <source>one thread, up to {n} requests in flight</source>
            <translation>스레드 하나, 최대 {n}개 요청을 동시에 처리</translation>
        </message>
    </context>
    <context>
        <name>CompareExporter</name>
        <message>
            <location filename="../../gui/compare/export.py" />
            <source>Could not save %1: %2</source>
            <translation>%1에 저장할 수 없습니다: %2</translation>
        </message>
        <message>
            <location filename="../../gui/compare/export.py" />
            <source>Saved %1</source>
            <translation>저장했습니다: %1</translation>
        </message>
        <message>
            <location filename="../../gui/compare/export.py" />
            <source>Save picture</source>
            <translation>그림 저장</translation>
        </message>
        <message>
            <location filename="../../gui/compare/export.py" />
            <source>Save CSV</source>
            <translation>CSV 저장</translation>
        </message>
        <message>
            <source>Could not save %1</source>
            <translation type="vanished">저장할 수 없습니다: %1</translation>
        </message>
    </context>
    <context>
        <name>ComparePanel</name>
        <message>
            <location filename="../../gui/history/parts.py" />
            <source>A: run #{0}</source>
            <translation>A: 실행 #{0}</translation>
        </message>
        <message>
            <location filename="../../gui/history/parts.py" />
            <source>B: run #{0}</source>
            <translation>B: 실행 #{0}</translation>
        </message>
        <message>
            <location filename="../../gui/history/parts.py" />
            <source>B compared with A</source>
            <translation>A 대비 B</translation>
        </message>
    </context>
    <context>
        <name>CompareWindow</name>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>Compare sync, threads and async — Fetchlens</source>
            <translation>동기, 스레드, 비동기 비교 — Fetchlens</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>Comparing sync, threads and async…</source>
            <translation>동기, 스레드, 비동기를 비교하는 중…</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>{mode} runs after {prev}</source>
            <translation>{prev} 다음에 {mode} 실행</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>starting…</source>
            <translation>시작하는 중…</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>Fit each timeline</source>
            <translation>타임라인마다 맞추기</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>Off: all three timelines share one time scale, so their lengths compare. On: each is stretched to its own run.</source>
            <translation>끄면 세 타임라인이 같은 시간 축을 써서 길이를 서로 비교할 수 있습니다. 켜면 각 타임라인이 자기 실행 길이에 맞게 늘어납니다.</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>Stop</source>
            <translation>중지</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>Stop the comparison; finished runs stay</source>
            <translation>비교를 중지합니다. 끝난 실행은 남습니다</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>Save picture…</source>
            <translation>그림 저장…</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>Save this comparison as a PNG image</source>
            <translation>이 비교 결과를 PNG 이미지로 저장합니다</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>Save CSV…</source>
            <translation>CSV 저장…</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>Save one row per mode (times, percentiles, speed-up) as CSV</source>
            <translation>모드마다 한 행(시간, 백분위수, 속도 향상)을 CSV로 저장합니다</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>Comparison cancelled.</source>
            <translation>비교를 취소했습니다.</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>Timing a sample of %1 URLs in sync mode…</source>
            <translation>동기 모드로 URL %1개 표본의 시간을 재는 중…</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>Sync will be slow</source>
            <translation>동기 모드는 느립니다</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>Sync would take about {t} for {n} URLs (one request after another, estimated from {k} URLs).</source>
            <translation>동기 모드로 URL {n}개를 가져오면 약 {t} 걸립니다(요청을 하나씩 차례로 보냄, URL {k}개로 추정).</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>Threads and async run after sync, on the same URLs.</source>
            <translation>스레드와 비동기 모드는 동기 다음에 같은 URL로 실행됩니다.</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>Compare on the first {n} URLs</source>
            <translation>처음 URL {n}개로 비교</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>All {n} URLs</source>
            <translation>URL {n}개 전체</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>Sync would be slow: choose how many URLs to compare.</source>
            <translation>동기 모드는 느립니다. 비교할 URL 개수를 고르세요.</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>Running {mode} ({k} of 3): {done} of {n} URLs, {t}</source>
            <translation>{mode} 실행 중({k}/3): URL {n}개 중 {done}개, {t}</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>The comparison failed: %1</source>
            <translation>비교에 실패했습니다: %1</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>Stopped after %1.</source>
            <translation>%1 후 중지했습니다.</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>Done in %1.</source>
            <translation>%1 만에 끝났습니다.</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>Comparison incomplete</source>
            <translation>비교가 완료되지 않음</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>async: {x}× faster than sync on these {n} URLs</source>
            <translation>비동기: 이 URL {n}개에서 동기보다 {x}배 빠름</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>The same {n} URLs fetched three ways. Each bar is one request, from start to finish; time runs left to right</source>
            <translation>같은 URL {n}개를 세 가지 모드로 가져왔습니다. 막대 하나가 요청 하나의 시작부터 끝까지이며, 시간은 왼쪽에서 오른쪽으로 흐릅니다</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>, each timeline on its own scale.</source>
            <translation>. 타임라인마다 자기 시간 축척을 씁니다.</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>, on the same scale in all three.</source>
            <translation>. 세 타임라인 모두 같은 시간 축척입니다.</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>A single request is not faster in async (median {a}; in sync {s}): async finishes sooner only because it does not wait for one answer before asking for the next.</source>
            <translation>요청 하나하나는 비동기라고 더 빠르지 않습니다(중앙값: 비동기 {a}, 동기 {s}). 비동기가 일찍 끝나는 이유는 한 응답을 기다린 뒤에야 다음 요청을 보내지 않기 때문입니다.</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>Median time per request: {a} in async, {s} in sync; most of the gain comes from not waiting for one answer before asking for the next.</source>
            <translation>요청당 시간 중앙값: 비동기 {a}, 동기 {s}. 이득의 대부분은 한 응답을 기다린 뒤에야 다음 요청을 보내지 않는 데서 나옵니다.</translation>
        </message>
        <message>
            <location filename="../../gui/compare/window.py" />
            <source>(First {n} of {m} URLs.)</source>
            <translation>(URL {m}개 중 처음 {n}개)</translation>
        </message>
        <message>
            <source>Saved %1</source>
            <translation type="vanished">저장했습니다: %1</translation>
        </message>
        <message>
            <source>Could not save %1</source>
            <translation type="vanished">저장할 수 없습니다: %1</translation>
        </message>
        <message>
            <source>Could not save %1: %2</source>
            <translation type="vanished">%1에 저장할 수 없습니다: %2</translation>
        </message>
        <message>
            <source>Save picture</source>
            <translation type="vanished">그림 저장</translation>
        </message>
        <message>
            <source>Save CSV</source>
            <translation type="vanished">CSV 저장</translation>
        </message>
    </context>
    <context>
        <name>ErrorReporter</name>
        <message>
            <location filename="../../gui/app/excepthook.py" />
            <source>Fetchlens: unexpected error</source>
            <translation>Fetchlens: 예기치 않은 오류</translation>
        </message>
        <message>
            <location filename="../../gui/app/excepthook.py" />
            <source>Something went wrong inside Fetchlens. The details are in the log; your results so far are still here.</source>
            <translation>Fetchlens 내부에서 문제가 발생했습니다. 자세한 내용은 로그에 있으며, 지금까지의 결과는 그대로 남아 있습니다.</translation>
        </message>
    </context>
    <context>
        <name>FileCommands</name>
        <message>
            <location filename="../../gui/window/files.py" />
            <source>Open URL file</source>
            <translation>URL 파일 열기</translation>
        </message>
        <message>
            <location filename="../../gui/window/files.py" />
            <source>URL lists and sitemaps (*.txt *.csv *.list *.xml *.xml.gz);;All files (*)</source>
            <translation>URL 목록과 사이트맵 (*.txt *.csv *.list *.xml *.xml.gz);;모든 파일 (*)</translation>
        </message>
        <message>
            <location filename="../../gui/window/files.py" />
            <source>Cannot open</source>
            <translation>열 수 없음</translation>
        </message>
        <message>
            <location filename="../../gui/window/files.py" />
            <source>Loaded {0}</source>
            <translation>불러옴: {0}</translation>
        </message>
        <message>
            <location filename="../../gui/window/files.py" />
            <source>&amp;Clear the list</source>
            <translation>목록 지우기(&amp;C)</translation>
        </message>
        <message>
            <location filename="../../gui/window/files.py" />
            <source>(no recent files)</source>
            <translation>(최근 파일 없음)</translation>
        </message>
        <message>
            <location filename="../../gui/window/files.py" />
            <source>Nothing to export yet</source>
            <translation>아직 내보낼 결과가 없습니다</translation>
        </message>
        <message>
            <location filename="../../gui/window/files.py" />
            <source>Export</source>
            <translation>내보내기</translation>
        </message>
        <message>
            <location filename="../../gui/window/files.py" />
            <source>CSV files (*.csv);;JSON Lines (*.jsonl);;Excel workbook (*.xlsx)</source>
            <translation>CSV 파일 (*.csv);;JSON Lines (*.jsonl);;Excel 통합 문서 (*.xlsx)</translation>
        </message>
        <message>
            <location filename="../../gui/window/files.py" />
            <source>Exporting {0} of {1} rows…</source>
            <translation>{1}개 행 중 {0}개 내보내는 중…</translation>
        </message>
        <message>
            <location filename="../../gui/window/files.py" />
            <source>Export %p%</source>
            <translation>내보내는 중 %p%</translation>
        </message>
        <message>
            <location filename="../../gui/window/files.py" />
            <source>Export failed</source>
            <translation>내보내기 실패</translation>
        </message>
        <message>
            <location filename="../../gui/window/files.py" />
            <source>The file was not saved.</source>
            <translation>파일을 저장하지 못했습니다.</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gui/window/files.py" />
            <source>Exported %Ln row(s) to {0}</source>
            <translation>
                <numerusform>행 %Ln개를 내보냈습니다: {0}</numerusform>
            </translation>
        </message>
        <message>
            <source>URL lists (*.txt *.csv *.list);;All files (*)</source>
            <translation type="vanished">URL 목록 (*.txt *.csv *.list);;모든 파일 (*)</translation>
        </message>
        <message>
            <source>Export CSV</source>
            <translation type="vanished">CSV 내보내기</translation>
        </message>
        <message>
            <source>CSV files (*.csv)</source>
            <translation type="vanished">CSV 파일 (*.csv)</translation>
        </message>
        <message>
            <source>The CSV file was not saved.</source>
            <translation type="vanished">CSV 파일을 저장하지 못했습니다.</translation>
        </message>
        <message>
            <source>Exported {0} rows to {1}</source>
            <translation type="vanished">행 {0}개를 내보냈습니다: {1}</translation>
        </message>
    </context>
    <context>
        <name>HistogramWidget</name>
        <message>
            <location filename="../../gui/timeline/histogram.py" />
            <source>Distribution of per-URL times</source>
            <translation>URL별 시간 분포</translation>
        </message>
        <message>
            <location filename="../../gui/timeline/histogram.py" />
            <source>How long each URL took (start to parsed), with the median (p50), p95 and p99</source>
            <translation>각 URL에 걸린 시간(시작부터 파싱까지)과 중앙값(p50), p95, p99</translation>
        </message>
        <message>
            <location filename="../../gui/timeline/histogram.py" />
            <source>no times yet</source>
            <translation>아직 측정된 시간 없음</translation>
        </message>
        <message>
            <location filename="../../gui/timeline/histogram.py" />
            <source>n = %1</source>
            <translation>n = %1</translation>
        </message>
        <message>
            <location filename="../../gui/timeline/histogram.py" />
            <source>(+%1 beyond)</source>
            <translation>(범위 밖 +%1)</translation>
        </message>
    </context>
    <context>
        <name>History</name>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>#</source>
            <translation>#</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>Started</source>
            <translation>시작</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>Mode</source>
            <translation>모드</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>Kind</source>
            <translation>종류</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>Status</source>
            <translation>상태</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>URLs</source>
            <translation>URL</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>OK</source>
            <translation>성공</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>Failed</source>
            <translation>실패</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>Wall time</source>
            <translation>총 소요 시간</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>{0} #{1}</source>
            <translation>{0} #{1}</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>{0} of #{1}</source>
            <translation>#{1}의 {0}</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>Run #{0}, started {1}</source>
            <translation>실행 #{0}, 시작 {1}</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>Ended {0}</source>
            <translation>종료 {0}</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>{done} of {total} URLs have a result: {ok} OK, {failed} failed</source>
            <translation>URL {total}개 중 {done}개에 결과가 있음: 성공 {ok}, 실패 {failed}</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>Interrupted: Resume fetches only the {0} URLs without a result</source>
            <translation>중단됨: 이어서 실행하면 결과가 없는 URL {0}개만 가져옵니다</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>the same</source>
            <translation>같음</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>B {0}× faster</source>
            <translation>B가 {0}배 빠름</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>B {0}× slower</source>
            <translation>B가 {0}배 느림</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>B {0}× more</source>
            <translation>B가 {0}배 많음</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>B {0}× fewer</source>
            <translation>B가 {0}배 적음</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>Pages per second</source>
            <translation>초당 페이지</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>p50 per URL</source>
            <translation>URL별 p50</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>p95 per URL</source>
            <translation>URL별 p95</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>Sum of per-URL times</source>
            <translation>URL별 시간 합계</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>In flight on average</source>
            <translation>평균 동시 처리 수</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>Run #{0} has no wall time: it ended before it could be summarised.</source>
            <translation>실행 #{0}에는 총 소요 시간이 없습니다. 요약되기 전에 끝났습니다.</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>Run #{fast} ({fm}) fetched {fr} pages/s, {f}× the rate of run #{slow} ({sm}, {sr} pages/s); the runs have different numbers of URLs.</source>
            <translation>실행 #{fast}({fm}): 초당 {fr}페이지로, 실행 #{slow}({sm}, 초당 {sr}페이지)의 {f}배 속도. 두 실행의 URL 수는 다릅니다.</translation>
        </message>
        <message>
            <location filename="../../gui/history/model.py" />
            <source>Run #{fast} ({fm}) took {ft}: {f}× faster than run #{slow} ({sm}, {st}).</source>
            <translation>실행 #{fast}({fm}): {ft} 소요, 실행 #{slow}({sm}, {st})보다 {f}배 빠름.</translation>
        </message>
        <message>
            <source>retry of #{0}</source>
            <translation type="vanished">#{0} 재시도</translation>
        </message>
        <message>
            <source>retry</source>
            <translation type="vanished">재시도</translation>
        </message>
        <message>
            <source>resumed</source>
            <translation type="vanished">이어서 실행</translation>
        </message>
        <message>
            <source>new</source>
            <translation type="vanished">새 실행</translation>
        </message>
        <message>
            <source>finished</source>
            <translation type="vanished">완료</translation>
        </message>
        <message>
            <source>interrupted</source>
            <translation type="vanished">중단됨</translation>
        </message>
        <message>
            <source>running</source>
            <translation type="vanished">실행 중</translation>
        </message>
    </context>
    <context>
        <name>HistoryWindow</name>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>History — Fetchlens</source>
            <translation>기록 — Fetchlens</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>Open a run (Enter or double-click) to see its table and timeline again; select two runs to compare them.</source>
            <translation>실행을 열면(Enter 또는 더블클릭) 표와 타임라인을 다시 볼 수 있습니다. 두 실행을 선택하면 비교할 수 있습니다.</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>&amp;Open</source>
            <translation>열기(&amp;O)</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>Show the selected run's table and timeline (Enter)</source>
            <translation>선택한 실행의 표와 타임라인을 보여 줍니다(Enter)</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>E&amp;xport…</source>
            <translation>내보내기(&amp;X)…</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>Write the selected run's results to a CSV, JSON Lines or Excel file</source>
            <translation>선택한 실행의 결과를 CSV, JSON Lines 또는 Excel 파일로 저장합니다</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>&amp;Compare</source>
            <translation>비교(&amp;C)</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>Compare the two selected runs side by side: wall time, p50/p95, OK and failed, speed-up</source>
            <translation>선택한 두 실행을 나란히 비교합니다: 총 소요 시간, p50/p95, 성공과 실패, 속도 향상</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>&amp;Resume</source>
            <translation>이어서 실행(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>Finish the selected interrupted run: fetch only the URLs that have no result yet</source>
            <translation>선택한 중단된 실행을 마칩니다. 아직 결과가 없는 URL만 가져옵니다</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>Retry &amp;failed</source>
            <translation>실패한 항목 재시도(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>Fetch again only the failed rows of the selected run (a new run; the good rows are kept)</source>
            <translation>선택한 실행에서 실패한 행만 다시 가져옵니다(새 실행이 되며 성공한 행은 유지됩니다)</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>&amp;Delete…</source>
            <translation>삭제(&amp;D)…</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>Delete the selected runs from the history (Delete)</source>
            <translation>선택한 실행을 기록에서 삭제합니다(Delete)</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>Refres&amp;h</source>
            <translation>새로 고침(&amp;H)</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>Reload the list of runs (F5)</source>
            <translation>실행 목록을 다시 불러옵니다(F5)</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>Could not read the history: {0}</source>
            <translation>기록을 읽을 수 없습니다: {0}</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gui/history/window.py" />
            <source>%Ln run(s) in the history</source>
            <translation>
                <numerusform>기록에 실행 %Ln개</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>Loading run #{0}…</source>
            <translation>실행 #{0} 불러오는 중…</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>Could not open run #{0}: {1}</source>
            <translation>실행 #{0}을(를) 열 수 없습니다: {1}</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gui/history/window.py" />
            <source>Run #{0}: %Ln row(s)</source>
            <translation>
                <numerusform>실행 #{0}: %Ln행</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>Export run #{0}</source>
            <translation>실행 #{0} 내보내기</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>CSV files (*.csv);;JSON Lines (*.jsonl);;Excel workbook (*.xlsx)</source>
            <translation>CSV 파일 (*.csv);;JSON Lines (*.jsonl);;Excel 통합 문서 (*.xlsx)</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>Exporting run #{0}…</source>
            <translation>실행 #{0} 내보내는 중…</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>Export failed</source>
            <translation>내보내기 실패</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gui/history/window.py" />
            <source>Exported %Ln row(s) of run #{0} to {1}</source>
            <translation>
                <numerusform>실행 #{0}의 행 %Ln개를 내보냈습니다: {1}</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>Comparing run #{0} with run #{1}</source>
            <translation>비교: 실행 #{0}, 실행 #{1}</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>Delete run #{0} and its results from the history?</source>
            <translation>실행 #{0} 및 그 결과를 기록에서 삭제할까요?</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gui/history/window.py" />
            <source>Delete %Ln run(s) and their results from the history?</source>
            <translation>
                <numerusform>실행 %Ln개와 그 결과를 기록에서 삭제할까요?</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>Delete runs</source>
            <translation>실행 삭제</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>This cannot be undone. Exported CSV files are not touched.</source>
            <translation>되돌릴 수 없습니다. 내보낸 CSV 파일은 그대로 남습니다.</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>Delete</source>
            <translation>삭제</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>Delete failed</source>
            <translation>삭제 실패</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>The run was deleted.</source>
            <translation>실행이 삭제되었습니다.</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>Deleted run #{0}</source>
            <translation>실행 #{0}을(를) 삭제했습니다</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gui/history/window.py" />
            <source>Deleted %Ln run(s)</source>
            <translation>
                <numerusform>실행 %Ln개를 삭제했습니다</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>Resuming run #{0} in the main window…</source>
            <translation>메인 창에서 실행 #{0}을(를) 이어서 실행하는 중…</translation>
        </message>
        <message>
            <location filename="../../gui/history/window.py" />
            <source>Retrying the failed rows of run #{0} in the main window…</source>
            <translation>메인 창에서 실행 #{0}의 실패한 행을 재시도하는 중…</translation>
        </message>
        <message>
            <source>E&amp;xport CSV…</source>
            <translation type="vanished">CSV 내보내기(&amp;X)…</translation>
        </message>
        <message>
            <source>Write the selected run's results to a CSV file</source>
            <translation type="vanished">선택한 실행의 결과를 CSV 파일로 저장합니다</translation>
        </message>
        <message>
            <source>Export run #{0} as CSV</source>
            <translation type="vanished">실행 #{0} CSV로 내보내기</translation>
        </message>
        <message>
            <source>CSV files (*.csv);;All files (*)</source>
            <translation type="vanished">CSV 파일 (*.csv);;모든 파일 (*)</translation>
        </message>
        <message>
            <source>{0} runs in the history</source>
            <translation type="vanished">기록에 실행 {0}개</translation>
        </message>
        <message>
            <source>Run #{0}: {1} rows</source>
            <translation type="vanished">실행 #{0}: {1}행</translation>
        </message>
        <message>
            <source>Exported {0} rows of run #{1} to {2}</source>
            <translation type="vanished">실행 #{1}의 행 {0}개를 내보냈습니다: {2}</translation>
        </message>
        <message>
            <source>Delete {0} runs and their results from the history?</source>
            <translation type="vanished">실행 {0}개와 그 결과를 기록에서 삭제할까요?</translation>
        </message>
        <message>
            <source>Deleted {0} runs</source>
            <translation type="vanished">실행 {0}개를 삭제했습니다</translation>
        </message>
    </context>
    <context>
        <name>JournalLink</name>
        <message>
            <location filename="../../gui/window/journal_link.py" />
            <source>The journal is off (--no-journal): no history</source>
            <translation>기록 저장이 꺼져 있습니다(--no-journal). 기록이 없습니다</translation>
        </message>
        <message>
            <source>Stop the current run first</source>
            <translation type="vanished">먼저 현재 실행을 중지하세요</translation>
        </message>
        <message>
            <source>Nothing to fetch again in run {0}</source>
            <translation type="vanished">실행 #{0}에서 다시 가져올 URL이 없습니다</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>&amp;Open URL file…</source>
            <translation>URL 파일 열기(&amp;O)…</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>Load URLs from a text or CSV file</source>
            <translation>텍스트 또는 CSV 파일에서 URL을 불러옵니다</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>&amp;Export…</source>
            <translation>내보내기(&amp;E)…</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>Write every row to a CSV, JSON Lines or Excel file</source>
            <translation>모든 행을 CSV, JSON Lines 또는 Excel 파일로 저장합니다</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>Export &amp;filtered rows…</source>
            <translation>필터된 행 내보내기(&amp;F)…</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>Write only the rows the filter shows, in their current order</source>
            <translation>필터에 보이는 행만 현재 순서대로 저장합니다</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>&amp;Quit</source>
            <translation>끝내기(&amp;Q)</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>Stop any run and close Fetchlens</source>
            <translation>진행 중인 실행을 멈추고 Fetchlens를 닫습니다</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>&amp;Start</source>
            <translation>시작(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>Fetch every URL in the box</source>
            <translation>입력 상자의 모든 URL을 가져옵니다</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>S&amp;top</source>
            <translation>중지(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>Stop the run; finished rows are kept</source>
            <translation>실행을 중지합니다. 끝난 행은 유지됩니다</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>&amp;Compare modes…</source>
            <translation>모드 비교(&amp;C)…</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>Run the batch in sync, threads and async mode and compare</source>
            <translation>URL 목록을 동기, 스레드, 비동기 모드로 실행해 비교합니다</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>&amp;History…</source>
            <translation>기록(&amp;H)…</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>Past runs: open, export, compare, resume, retry failed rows</source>
            <translation>지난 실행: 열기, 내보내기, 비교, 이어서 실행, 실패한 행 재시도</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>S&amp;ettings…</source>
            <translation>설정(&amp;E)…</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>Timeouts, retries, limits, TLS; headers, cookies, login, proxy, rate limits and robots.txt</source>
            <translation>시간 초과, 재시도, 제한, TLS 검증과 헤더, 쿠키, 로그인, 프록시, 속도 제한, robots.txt</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>&amp;Try the demo</source>
            <translation>데모 실행(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>Start the built-in offline demo site and load its URLs</source>
            <translation>내장 오프라인 데모 사이트를 시작하고 URL을 불러옵니다</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>&amp;About Fetchlens</source>
            <translation>Fetchlens 정보(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>Versions of Fetchlens and the libraries it uses</source>
            <translation>Fetchlens와 Fetchlens가 쓰는 라이브러리의 버전</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>Go to the &amp;URL box</source>
            <translation>URL 입력 상자로 이동(&amp;U)</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>Move the keyboard focus to the URL box</source>
            <translation>키보드 포커스를 URL 입력 상자로 옮깁니다</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>Open &amp;recent</source>
            <translation>최근 파일 열기(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>&amp;File</source>
            <translation>파일(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>&amp;Run</source>
            <translation>실행(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../gui/window/actions.py" />
            <source>&amp;Help</source>
            <translation>도움말(&amp;H)</translation>
        </message>
        <message>
            <location filename="../../gui/window/main_window.py" />
            <source>Per-URL time</source>
            <translation>URL별 시간</translation>
        </message>
        <message>
            <location filename="../../gui/window/main_window.py" />
            <source>Timeline</source>
            <translation>타임라인</translation>
        </message>
        <message>
            <location filename="../../gui/window/main_window.py" />
            <source>Distribution</source>
            <translation>분포</translation>
        </message>
        <message>
            <location filename="../../gui/window/main_window.py" />
            <source>Every request on the run's clock, by phase</source>
            <translation>실행 시간 축 위의 모든 요청(단계별)</translation>
        </message>
        <message>
            <location filename="../../gui/window/main_window.py" />
            <source>How per-URL times are spread, with p50, p95 and p99 marked</source>
            <translation>URL별 시간의 분포(p50, p95, p99 표시)</translation>
        </message>
        <message>
            <location filename="../../gui/window/main_window.py" />
            <source>Settings saved</source>
            <translation>설정을 저장했습니다</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gui/window/main_window.py" />
            <source>Nothing to fetch: none of the %Ln line(s) is a valid URL</source>
            <translation>
                <numerusform>가져올 것이 없습니다: %Ln줄 중 올바른 URL이 없습니다</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../gui/window/main_window.py" />
            <source>Paste some URLs first — or try the demo (F1)</source>
            <translation>먼저 URL을 붙여 넣으세요. 또는 데모를 실행해 보세요(F1)</translation>
        </message>
        <message>
            <location filename="../../gui/window/main_window.py" />
            <source>Stopping…</source>
            <translation>중지하는 중…</translation>
        </message>
        <message>
            <location filename="../../gui/window/main_window.py" />
            <source>Stop the current run first</source>
            <translation>먼저 현재 실행을 중지하세요</translation>
        </message>
        <message>
            <location filename="../../gui/window/main_window.py" />
            <source>Nothing to fetch again in run {0}</source>
            <translation>실행 #{0}에서 다시 가져올 URL이 없습니다</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gui/window/main_window.py" />
            <source>Running %Ln URL(s) in {0} mode…</source>
            <translation>
                <numerusform>{0} 모드로 URL %Ln개 실행 중…</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../gui/window/main_window.py" />
            <source>Stopped after {0} s</source>
            <translation>{0}초 후 중지됨</translation>
        </message>
        <message>
            <location filename="../../gui/window/main_window.py" />
            <source>Done in {0} s</source>
            <translation>{0}초 만에 완료</translation>
        </message>
        <message>
            <location filename="../../gui/window/main_window.py" />
            <source>The run failed: {0}</source>
            <translation>실행 실패: {0}</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gui/window/main_window.py" />
            <source>%Ln line(s)</source>
            <translation>
                <numerusform>%Ln줄</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../gui/window/main_window.py" />
            <source>{0} OK · {1} failed</source>
            <translation>성공 {0} · 실패 {1}</translation>
        </message>
        <message>
            <location filename="../../gui/window/main_window.py" />
            <source>the demo's URLs</source>
            <translation>데모 URL</translation>
        </message>
        <message>
            <location filename="../../gui/window/main_window.py" />
            <source>Demo site running at {0} — press Start (Ctrl+Enter), or compare the three modes on it (Ctrl+M)</source>
            <translation>데모 사이트가 {0}에서 실행 중입니다 — 시작을 누르거나(Ctrl+Enter) 세 가지 모드를 비교해 보세요(Ctrl+M)</translation>
        </message>
        <message>
            <location filename="../../gui/window/main_window.py" />
            <source>A run is going on</source>
            <translation>실행 중입니다</translation>
        </message>
        <message>
            <location filename="../../gui/window/main_window.py" />
            <source>{0} of {1} URLs are done. Quit Fetchlens?</source>
            <translation>URL {1}개 중 {0}개를 마쳤습니다. Fetchlens를 종료할까요?</translation>
        </message>
        <message>
            <location filename="../../gui/window/main_window.py" />
            <source>Results so far are kept. A run stopped by quitting is offered for resume at the next start.</source>
            <translation>지금까지의 결과는 유지됩니다. 종료로 멈춘 실행은 다음 시작 때 이어서 실행할 수 있습니다.</translation>
        </message>
        <message>
            <location filename="../../gui/window/main_window.py" />
            <source>Stop and quit</source>
            <translation>중지하고 종료</translation>
        </message>
        <message>
            <location filename="../../gui/window/main_window.py" />
            <source>Quit when done</source>
            <translation>끝나면 종료</translation>
        </message>
        <message>
            <location filename="../../gui/window/main_window.py" />
            <source>Fetchlens quits when the run is done</source>
            <translation>실행이 끝나면 Fetchlens를 종료합니다</translation>
        </message>
        <message>
            <source>Timeouts, retries, limits, User-Agent, TLS verification</source>
            <translation type="vanished">시간 초과, 재시도, 제한, User-Agent, TLS 검증</translation>
        </message>
        <message>
            <source>&amp;Export CSV…</source>
            <translation type="vanished">CSV 내보내기(&amp;E)…</translation>
        </message>
        <message>
            <source>Write every row to a CSV file</source>
            <translation type="vanished">모든 행을 CSV 파일로 저장합니다</translation>
        </message>
        <message>
            <source>Running {0} URLs in {1} mode…</source>
            <translation type="vanished">{1} 모드로 URL {0}개 실행 중…</translation>
        </message>
        <message>
            <source>{0} lines</source>
            <translation type="vanished">{0}줄</translation>
        </message>
        <message>
            <source>Open URL file</source>
            <translation type="vanished">URL 파일 열기</translation>
        </message>
        <message>
            <source>URL lists (*.txt *.csv *.list);;All files (*)</source>
            <translation type="vanished">URL 목록 (*.txt *.csv *.list);;모든 파일 (*)</translation>
        </message>
        <message>
            <source>Cannot open</source>
            <translation type="vanished">열 수 없음</translation>
        </message>
        <message>
            <source>Loaded {0}</source>
            <translation type="vanished">불러옴: {0}</translation>
        </message>
        <message>
            <source>&amp;Clear the list</source>
            <translation type="vanished">목록 지우기(&amp;C)</translation>
        </message>
        <message>
            <source>(no recent files)</source>
            <translation type="vanished">(최근 파일 없음)</translation>
        </message>
        <message>
            <source>Nothing to export yet</source>
            <translation type="vanished">아직 내보낼 결과가 없습니다</translation>
        </message>
        <message>
            <source>Export CSV</source>
            <translation type="vanished">CSV 내보내기</translation>
        </message>
        <message>
            <source>CSV files (*.csv)</source>
            <translation type="vanished">CSV 파일 (*.csv)</translation>
        </message>
        <message>
            <source>Export failed</source>
            <translation type="vanished">내보내기 실패</translation>
        </message>
        <message>
            <source>Exported {0} rows to {1}</source>
            <translation type="vanished">행 {0}개를 내보냈습니다: {1}</translation>
        </message>
    </context>
    <context>
        <name>ModeCard</name>
        <message>
            <location filename="../../gui/compare/parts.py" />
            <source>waiting</source>
            <translation>대기 중</translation>
        </message>
        <message>
            <location filename="../../gui/compare/parts.py" />
            <source>running… {done} of {n}</source>
            <translation>실행 중… {n}개 중 {done}개</translation>
        </message>
        <message>
            <location filename="../../gui/compare/parts.py" />
            <source>baseline</source>
            <translation>기준</translation>
        </message>
        <message>
            <location filename="../../gui/compare/parts.py" />
            <source>{x}× faster than sync</source>
            <translation>동기보다 {x}배 빠름</translation>
        </message>
        <message>
            <location filename="../../gui/compare/parts.py" />
            <source>{x}× slower than sync</source>
            <translation>동기보다 {x}배 느림</translation>
        </message>
        <message>
            <location filename="../../gui/compare/parts.py" />
            <source> (stopped)</source>
            <translation> (중지됨)</translation>
        </message>
        <message>
            <location filename="../../gui/compare/parts.py" />
            <source>sum of per-URL times {sum} · {c} in flight on average
p50 {p50} · p95 {p95} · {ok} ok, {failed} failed</source>
            <translation>URL별 시간 합계 {sum} · 평균 동시 처리 {c}
p50 {p50} · p95 {p95} · 성공 {ok}, 실패 {failed}</translation>
        </message>
    </context>
    <context>
        <name>ModeRow</name>
        <message>
            <location filename="../../gui/compare/parts.py" />
            <source>%1 timeline</source>
            <translation>%1 타임라인</translation>
        </message>
        <message>
            <location filename="../../gui/compare/parts.py" />
            <source>per-URL time</source>
            <translation>URL별 시간</translation>
        </message>
        <message>
            <location filename="../../gui/compare/parts.py" />
            <source>Close-up of this run on its own time scale</source>
            <translation>이 실행만의 시간 축척으로 확대한 모습</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gui/compare/parts.py" />
            <source>%Ln URL(s) done after {t}</source>
            <translation>
                <numerusform>{t} 후 URL %Ln개 완료</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../gui/compare/parts.py" />
            <source>  ·  close-up below ↘</source>
            <translation>  ·  아래 확대 보기 ↘</translation>
        </message>
        <message>
            <source>{n} URLs done after {t}</source>
            <translation type="vanished">{t} 후 URL {n}개 완료</translation>
        </message>
    </context>
    <context>
        <name>RequestsPage</name>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>One 'Name: value' per line, sent with every request. Host, Content-Length, Transfer-Encoding and Connection are refused.</source>
            <translation>한 줄에 'Name: value' 하나씩, 모든 요청에 보냅니다. Host, Content-Length, Transfer-Encoding, Connection은 받지 않습니다.</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>name=value pairs separated by ';', sent to each input URL's host.</source>
            <translation>';'로 구분한 name=value 쌍. 각 입력 URL의 호스트에 보냅니다.</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>A Netscape cookies.txt (curl, browser extensions).</source>
            <translation>Netscape 형식 cookies.txt (curl, 브라우저 확장 프로그램).</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>Browse…</source>
            <translation>찾아보기…</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>None</source>
            <translation>없음</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>Basic</source>
            <translation>Basic</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>Bearer token</source>
            <translation>Bearer 토큰</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>Password or token: sent only to each input URL's own origin, never written to the CSV, the history or the log.</source>
            <translation>비밀번호 또는 토큰: 각 입력 URL의 출처(origin)에만 보내며, CSV·기록·로그에는 절대 쓰지 않습니다.</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>Remember passwords, tokens and cookies (system keyring)</source>
            <translation>비밀번호, 토큰, 쿠키 기억하기 (시스템 키링)</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>No system keyring is available: secrets are kept for this session only.</source>
            <translation>시스템 키링이 없습니다: 비밀 정보는 이번 세션 동안만 보관합니다.</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>Use HTTP_PROXY / HTTPS_PROXY / NO_PROXY from the environment</source>
            <translation>환경 변수의 HTTP_PROXY / HTTPS_PROXY / NO_PROXY 사용</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source> /s</source>
            <translation> /초</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>no limit</source>
            <translation>제한 없음</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>Halved for a host after a 429 or 503, then recovers slowly.</source>
            <translation>429나 503을 받으면 그 호스트의 속도를 절반으로 줄이고, 천천히 회복합니다.</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>obey: skip disallowed URLs; report: fetch and flag them; ignore.</source>
            <translation>obey: 금지된 URL은 건너뜀; report: 가져오되 표시함; ignore: 무시.</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>HEAD parses nothing; HEAD,GET asks again with GET after 405/501.</source>
            <translation>HEAD는 아무것도 분석하지 않습니다. HEAD,GET은 405/501 뒤에 GET으로 다시 요청합니다.</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>Host pattern</source>
            <translation>호스트 패턴</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>Headers</source>
            <translation>헤더</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>Cookies</source>
            <translation>쿠키</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>Auth</source>
            <translation>인증</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>User</source>
            <translation>사용자</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>Password / token</source>
            <translation>비밀번호 / 토큰</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>Rate /s</source>
            <translation>속도 /초</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>Per host</source>
            <translation>호스트별</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>Robots</source>
            <translation>robots.txt 규칙</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>Patterns: example.com, *.example.com (subdomains), optionally :port. Headers 'Name: value' and cookies 'name=value' separated by ';'. Auth: basic or bearer. Robots: obey, report or ignore.</source>
            <translation>패턴: example.com, *.example.com (하위 도메인), 필요하면 :포트. 헤더 'Name: value'와 쿠키 'name=value'는 ';'로 구분. 인증: basic 또는 bearer. robots.txt: obey, report, ignore.</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>Add rule</source>
            <translation>규칙 추가</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>Remove rule</source>
            <translation>규칙 삭제</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>&amp;Headers:</source>
            <translation>헤더(&amp;H):</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>C&amp;ookies:</source>
            <translation>쿠키(&amp;O):</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>Cookies &amp;file:</source>
            <translation>쿠키 파일(&amp;F):</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>&amp;Authentication:</source>
            <translation>인증(&amp;A):</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>U&amp;ser:</source>
            <translation>사용자(&amp;S):</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>&amp;Password / token:</source>
            <translation>비밀번호 / 토큰(&amp;P):</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>Pro&amp;xy:</source>
            <translation>프록시(&amp;X):</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>&amp;No proxy for:</source>
            <translation>프록시 제외(&amp;N):</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>Rate (&amp;all hosts):</source>
            <translation>속도 (전체 호스트)(&amp;A):</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>Rate (&amp;each host):</source>
            <translation>속도 (호스트마다)(&amp;E):</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>&amp;robots.txt:</source>
            <translation>robots.txt 규칙(&amp;R):</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>&amp;Method:</source>
            <translation>메서드(&amp;M):</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>Rules per host pattern (the most specific wins):</source>
            <translation>호스트 패턴별 규칙 (가장 구체적인 규칙이 우선):</translation>
        </message>
        <message>
            <location filename="../../gui/window/requests_page.py" />
            <source>Cookies file</source>
            <translation>쿠키 파일</translation>
        </message>
    </context>
    <context>
        <name>ResultsModel</name>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>#</source>
            <translation>#</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>URL</source>
            <translation>URL</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>Status</source>
            <translation>상태</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>Title</source>
            <translation>제목</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>Time</source>
            <translation>시간</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>Size</source>
            <translation>크기</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>Type</source>
            <translation>유형</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>Links</source>
            <translation>링크</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>Error</source>
            <translation>오류</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>Indexability</source>
            <translation>색인 가능 여부</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>Words</source>
            <translation>단어 수</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>hreflang</source>
            <translation>hreflang</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>Canonical</source>
            <translation>표준 URL</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>X-Robots-Tag</source>
            <translation>X-Robots-Tag</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>Last-Modified</source>
            <translation>Last-Modified</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>Content hash</source>
            <translation>콘텐츠 해시</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>Line in the URL box (and the CSV's line column)</source>
            <translation>URL 상자의 줄 번호(CSV의 line 열)</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>State while running; HTTP status when done (3xx→ marks redirects)</source>
            <translation>실행 중에는 진행 상태, 끝나면 HTTP 상태 코드(3xx→는 리디렉션 표시)</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>From the start of the attempt to the parsed page (hover a cell for the phases)</source>
            <translation>시도 시작부터 페이지 파싱까지(셀에 마우스를 올리면 단계별 시간 표시)</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>Body size after decompression</source>
            <translation>압축 해제 후 본문 크기</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>Number of &lt;a href&gt; links on the page</source>
            <translation>페이지의 &lt;a href&gt; 링크 수</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>Indexable, or why not: non_200, redirected, noindex (meta robots or X-Robots-Tag), canonicalised, blocked_by_robots</source>
            <translation>색인 가능, 또는 그렇지 않은 이유: non_200, redirected, noindex (meta robots 또는 X-Robots-Tag), canonicalised, blocked_by_robots</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>Words of the visible body text (scripts and styles excluded)</source>
            <translation>본문에 보이는 텍스트의 단어 수 (스크립트와 스타일 제외)</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>Number of &lt;link rel=alternate hreflang&gt; (Enter shows them)</source>
            <translation>&lt;link rel=alternate hreflang&gt; 개수 (Enter로 목록 보기)</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>queued</source>
            <translation>대기 중</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>connecting</source>
            <translation>연결 중</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>downloading</source>
            <translation>다운로드 중</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>parsing</source>
            <translation>파싱 중</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>done</source>
            <translation>완료</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>failed</source>
            <translation>실패</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>cancelled</source>
            <translation>취소됨</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>invalid URL</source>
            <translation>잘못된 URL</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>DNS failure</source>
            <translation>DNS 실패</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>connect failed</source>
            <translation>연결 실패</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>TLS error</source>
            <translation>TLS 오류</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>timeout</source>
            <translation>시간 초과</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>too many redirects</source>
            <translation>리디렉션 과다</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>HTTP error</source>
            <translation>HTTP 오류</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>too large</source>
            <translation>크기 초과</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>decode error</source>
            <translation>디코딩 오류</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>connection reset</source>
            <translation>연결 재설정됨</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>blocked by robots.txt</source>
            <translation>robots.txt로 차단됨</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>error</source>
            <translation>오류</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>indexable</source>
            <translation>색인 가능</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>{url}
final: {final}</source>
            <translation>{url}
최종: {final}</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>Redirect chain:</source>
            <translation>리디렉션 경로:</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>Same URL as row #{n}: result reused</source>
            <translation>#{n}행과 같은 URL: 결과 재사용</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>{n} attempts</source>
            <translation>{n}회 시도</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>total {ms}</source>
            <translation>전체 {ms}</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>DNS</source>
            <translation>DNS</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>connect</source>
            <translation>연결</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>waiting (TTFB)</source>
            <translation>대기(TTFB)</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>download</source>
            <translation>다운로드</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>parse</source>
            <translation>파싱</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>first byte after {ms}</source>
            <translation>{ms} 후 첫 바이트</translation>
        </message>
        <message>
            <location filename="../../gui/results/rows.py" />
            <source>started at {ms} into the run</source>
            <translation>실행 시작 {ms} 후에 시작</translation>
        </message>
        <message>
            <source>Position in the input list</source>
            <translation type="vanished">입력 목록에서의 순서</translation>
        </message>
    </context>
    <context>
        <name>ResultsPanel</name>
        <message>
            <location filename="../../gui/results/panel.py" />
            <source>Filter the rows (any column shown)…</source>
            <translation>행 필터(보이는 모든 열)…</translation>
        </message>
        <message>
            <location filename="../../gui/results/panel.py" />
            <source>Show only rows where a visible column shows this text: URL, status, title, type, error… (Ctrl+F; Esc clears)</source>
            <translation>보이는 열(URL, 상태, 제목, 형식, 오류 등)에 이 텍스트가 있는 행만 표시합니다(Ctrl+F, Esc로 지우기)</translation>
        </message>
        <message>
            <location filename="../../gui/results/panel.py" />
            <source>All</source>
            <translation>전체</translation>
        </message>
        <message>
            <location filename="../../gui/results/panel.py" />
            <source>Show every URL</source>
            <translation>모든 URL 표시</translation>
        </message>
        <message>
            <location filename="../../gui/results/panel.py" />
            <source>OK</source>
            <translation>성공</translation>
        </message>
        <message>
            <location filename="../../gui/results/panel.py" />
            <source>Pages fetched successfully</source>
            <translation>성공적으로 가져온 페이지</translation>
        </message>
        <message>
            <location filename="../../gui/results/panel.py" />
            <source>Redirected</source>
            <translation>리디렉션</translation>
        </message>
        <message>
            <location filename="../../gui/results/panel.py" />
            <source>URLs that redirected at least once</source>
            <translation>한 번 이상 리디렉션된 URL</translation>
        </message>
        <message>
            <location filename="../../gui/results/panel.py" />
            <source>4xx</source>
            <translation>4xx</translation>
        </message>
        <message>
            <location filename="../../gui/results/panel.py" />
            <source>Client errors (HTTP 400–499)</source>
            <translation>클라이언트 오류(HTTP 400–499)</translation>
        </message>
        <message>
            <location filename="../../gui/results/panel.py" />
            <source>5xx</source>
            <translation>5xx</translation>
        </message>
        <message>
            <location filename="../../gui/results/panel.py" />
            <source>Server errors (HTTP 500–599)</source>
            <translation>서버 오류(HTTP 500–599)</translation>
        </message>
        <message>
            <location filename="../../gui/results/panel.py" />
            <source>Failed</source>
            <translation>실패</translation>
        </message>
        <message>
            <location filename="../../gui/results/panel.py" />
            <source>Every URL that did not succeed: HTTP errors, network failures, timeouts, invalid URLs</source>
            <translation>성공하지 못한 모든 URL: HTTP 오류, 네트워크 장애, 시간 초과, 잘못된 URL</translation>
        </message>
        <message>
            <location filename="../../gui/results/panel.py" />
            <source>Non-indexable</source>
            <translation>색인 불가</translation>
        </message>
        <message>
            <location filename="../../gui/results/panel.py" />
            <source>Pages a search engine would not index: not 200, redirected, noindex, canonicalised elsewhere</source>
            <translation>검색 엔진이 색인하지 않을 페이지: 200이 아님, 리디렉션됨, noindex, 다른 표준 URL 지정</translation>
        </message>
        <message>
            <location filename="../../gui/results/panel.py" />
            <source>Duplicate content</source>
            <translation>중복 콘텐츠</translation>
        </message>
        <message>
            <location filename="../../gui/results/panel.py" />
            <source>Pages whose visible text is the same as another row's (same content hash)</source>
            <translation>보이는 텍스트가 다른 행과 같은 페이지 (콘텐츠 해시 동일)</translation>
        </message>
        <message>
            <location filename="../../gui/results/panel.py" />
            <source>{name} ({count})</source>
            <translation>{name} ({count})</translation>
        </message>
        <message>
            <location filename="../../gui/results/panel.py" />
            <source>{shown} of {total} shown</source>
            <translation>{total}개 중 {shown}개 표시</translation>
        </message>
        <message>
            <source>Filter URL, title or error…</source>
            <translation type="vanished">URL, 제목, 오류로 필터…</translation>
        </message>
        <message>
            <source>Show only rows whose URL, title or error contains this text (Ctrl+F; Esc clears)</source>
            <translation type="vanished">URL, 제목, 오류에 이 텍스트가 들어 있는 행만 표시합니다(Ctrl+F, Esc로 지우기)</translation>
        </message>
    </context>
    <context>
        <name>ResultsView</name>
        <message>
            <location filename="../../gui/results/view.py" />
            <source>Results</source>
            <translation>결과</translation>
        </message>
        <message>
            <location filename="../../gui/results/view.py" />
            <source>Not opened: {0} is not a web address</source>
            <translation>열지 않음: {0}은(는) 웹 주소가 아닙니다</translation>
        </message>
        <message>
            <location filename="../../gui/results/view.py" />
            <source>Could not open {0}: no web browser was found</source>
            <translation>{0}을(를) 열 수 없습니다: 웹 브라우저를 찾지 못했습니다</translation>
        </message>
        <message>
            <location filename="../../gui/results/view.py" />
            <source>Copy URL</source>
            <translation>URL 복사</translation>
        </message>
        <message>
            <location filename="../../gui/results/view.py" />
            <source>Copy URLs</source>
            <translation>URL 복사</translation>
        </message>
        <message>
            <location filename="../../gui/results/view.py" />
            <source>Copy row</source>
            <translation>행 복사</translation>
        </message>
        <message>
            <location filename="../../gui/results/view.py" />
            <source>Copy rows</source>
            <translation>행 복사</translation>
        </message>
        <message>
            <location filename="../../gui/results/view.py" />
            <source>Open in browser</source>
            <translation>브라우저에서 열기</translation>
        </message>
        <message>
            <location filename="../../gui/results/view.py" />
            <source>Retry</source>
            <translation>다시 시도</translation>
        </message>
        <message>
            <location filename="../../gui/results/view.py" />
            <source>Fetch the selected URLs again</source>
            <translation>선택한 URL을 다시 가져옵니다</translation>
        </message>
    </context>
    <context>
        <name>ResumePrompt</name>
        <message>
            <location filename="../../gui/window/resume_prompt.py" />
            <source>The last run was interrupted after {done} of {total} URLs. Resume it (fetch only the {left} without a result)?</source>
            <translation>지난 실행이 URL {total}개 중 {done}개를 처리한 뒤 중단되었습니다. 이어서 실행할까요(결과가 없는 {left}개만 가져옵니다)?</translation>
        </message>
        <message>
            <location filename="../../gui/window/resume_prompt.py" />
            <source>Resume the interrupted run?</source>
            <translation>중단된 실행을 이어서 할까요?</translation>
        </message>
        <message>
            <location filename="../../gui/window/resume_prompt.py" />
            <source>Results fetched before the interruption are kept. The run stays in the history either way.</source>
            <translation>중단 전에 가져온 결과는 유지됩니다. 어느 쪽을 골라도 이 실행은 기록에 남습니다.</translation>
        </message>
        <message>
            <location filename="../../gui/window/resume_prompt.py" />
            <source>Resume</source>
            <translation>이어서 실행</translation>
        </message>
        <message>
            <location filename="../../gui/window/resume_prompt.py" />
            <source>Fetch the URLs of run #{0} that have no result yet</source>
            <translation>실행 #{0}에서 아직 결과가 없는 URL을 가져옵니다</translation>
        </message>
        <message>
            <location filename="../../gui/window/resume_prompt.py" />
            <source>Not now</source>
            <translation>나중에</translation>
        </message>
        <message>
            <location filename="../../gui/window/resume_prompt.py" />
            <source>Leave it; Resume is also in the history window</source>
            <translation>그대로 둡니다. 기록 창에서도 이어서 실행할 수 있습니다</translation>
        </message>
    </context>
    <context>
        <name>RowDetails</name>
        <message>
            <location filename="../../gui/results/details.py" />
            <source>Not finished yet.</source>
            <translation>아직 끝나지 않았습니다.</translation>
        </message>
        <message>
            <location filename="../../gui/results/details.py" />
            <source>final URL: {0}</source>
            <translation>최종 URL: {0}</translation>
        </message>
        <message>
            <location filename="../../gui/results/details.py" />
            <source>status: {0}</source>
            <translation>상태: {0}</translation>
        </message>
        <message>
            <location filename="../../gui/results/details.py" />
            <source>error: {0}</source>
            <translation>오류: {0}</translation>
        </message>
        <message>
            <location filename="../../gui/results/details.py" />
            <source>indexability: {0}</source>
            <translation>색인 가능 여부: {0}</translation>
        </message>
        <message>
            <location filename="../../gui/results/details.py" />
            <source>indexable</source>
            <translation>색인 가능</translation>
        </message>
        <message>
            <location filename="../../gui/results/details.py" />
            <source>sitemap lastmod: {0}</source>
            <translation>사이트맵 lastmod: {0}</translation>
        </message>
        <message>
            <location filename="../../gui/results/details.py" />
            <source>canonical: {0}</source>
            <translation>표준 URL: {0}</translation>
        </message>
        <message>
            <location filename="../../gui/results/details.py" />
            <source>meta robots: {0}</source>
            <translation>meta robots: {0}</translation>
        </message>
        <message>
            <location filename="../../gui/results/details.py" />
            <source>words: {0}</source>
            <translation>단어 수: {0}</translation>
        </message>
        <message>
            <location filename="../../gui/results/details.py" />
            <source>content hash: {0}</source>
            <translation>콘텐츠 해시: {0}</translation>
        </message>
        <message>
            <location filename="../../gui/results/details.py" />
            <source>Redirect hops:</source>
            <translation>리디렉션 단계:</translation>
        </message>
        <message>
            <location filename="../../gui/results/details.py" />
            <source>hreflang:</source>
            <translation>hreflang:</translation>
        </message>
        <message>
            <location filename="../../gui/results/details.py" />
            <source>Notes:</source>
            <translation>메모:</translation>
        </message>
        <message>
            <location filename="../../gui/results/details.py" />
            <source>Response headers:</source>
            <translation>응답 헤더:</translation>
        </message>
        <message>
            <location filename="../../gui/results/details.py" />
            <source>Row details</source>
            <translation>행 세부 정보</translation>
        </message>
    </context>
    <context>
        <name>RunController</name>
        <message>
            <location filename="../../gui/window/controller.py" />
            <source>the run was cancelled</source>
            <translation>실행이 취소되었습니다</translation>
        </message>
    </context>
    <context>
        <name>RunDetail</name>
        <message>
            <location filename="../../gui/history/parts.py" />
            <source>&lt;b&gt;Run #{id}&lt;/b&gt; · {mode} · {urls} URLs · started {started} · wall {wall} · {ok} OK · {failed} failed</source>
            <translation>&lt;b&gt;실행 #{id}&lt;/b&gt; · {mode} · URL {urls}개 · 시작 {started} · 총 소요 {wall} · 성공 {ok} · 실패 {failed}</translation>
        </message>
    </context>
    <context>
        <name>RunPanel</name>
        <message>
            <location filename="../../gui/window/run_panel.py" />
            <source>One request after another: each waits for the previous one to finish.</source>
            <translation>요청을 하나씩 차례로 보냅니다. 각 요청은 앞 요청이 끝나기를 기다립니다.</translation>
        </message>
        <message>
            <location filename="../../gui/window/run_panel.py" />
            <source>Blocking requests in a pool of threads (the run_in_executor recipe).</source>
            <translation>스레드 풀에서 블로킹 요청을 실행합니다(run_in_executor 방식).</translation>
        </message>
        <message>
            <location filename="../../gui/window/run_panel.py" />
            <source>Coroutines on one event loop with aiohttp: many requests wait at once.</source>
            <translation>aiohttp로 이벤트 루프 하나에서 코루틴을 실행합니다. 여러 요청이 동시에 응답을 기다립니다.</translation>
        </message>
        <message>
            <location filename="../../gui/window/run_panel.py" />
            <source>How the batch is fetched: sync, a thread pool, or asyncio</source>
            <translation>URL 목록을 가져오는 방식: 동기, 스레드 풀 또는 asyncio</translation>
        </message>
        <message>
            <location filename="../../gui/window/run_panel.py" />
            <source>Requests in flight at once (threads mode: the number of threads; sync mode always uses 1)</source>
            <translation>동시에 처리할 요청 수(스레드 모드: 스레드 수, 동기 모드는 항상 1)</translation>
        </message>
        <message>
            <location filename="../../gui/window/run_panel.py" />
            <source>&amp;Start</source>
            <translation>시작(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../gui/window/run_panel.py" />
            <source>Fetch every URL in the box (Ctrl+Enter)</source>
            <translation>입력 상자의 모든 URL을 가져옵니다(Ctrl+Enter)</translation>
        </message>
        <message>
            <location filename="../../gui/window/run_panel.py" />
            <source>S&amp;top</source>
            <translation>중지(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../gui/window/run_panel.py" />
            <source>Stop the run; finished rows are kept (Esc)</source>
            <translation>실행을 중지합니다. 끝난 행은 유지됩니다(Esc)</translation>
        </message>
        <message>
            <location filename="../../gui/window/run_panel.py" />
            <source>&amp;Export…</source>
            <translation>내보내기(&amp;E)…</translation>
        </message>
        <message>
            <location filename="../../gui/window/run_panel.py" />
            <source>Write the results to a CSV, JSON Lines or Excel file (Ctrl+S); the arrow offers only the rows the filter shows (Ctrl+Shift+S)</source>
            <translation>결과를 CSV, JSON Lines 또는 Excel 파일로 저장합니다(Ctrl+S). 화살표를 누르면 필터에 보이는 행만 저장할 수 있습니다(Ctrl+Shift+S)</translation>
        </message>
        <message>
            <location filename="../../gui/window/run_panel.py" />
            <source>Finished URLs of the batch, with the rate and the time left</source>
            <translation>완료된 URL 수와 처리 속도, 남은 시간</translation>
        </message>
        <message>
            <location filename="../../gui/window/run_panel.py" />
            <source>Ready</source>
            <translation>준비됨</translation>
        </message>
        <message>
            <location filename="../../gui/window/run_panel.py" />
            <source>&amp;Mode:</source>
            <translation>모드(&amp;M):</translation>
        </message>
        <message>
            <location filename="../../gui/window/run_panel.py" />
            <source>&amp;Concurrency:</source>
            <translation>동시 요청(&amp;C):</translation>
        </message>
        <message>
            <location filename="../../gui/window/run_panel.py" />
            <source> — {0}/s</source>
            <translation> — 초당 {0}개</translation>
        </message>
        <message>
            <location filename="../../gui/window/run_panel.py" />
            <source> — ETA {0}</source>
            <translation> — 남은 시간 {0}</translation>
        </message>
        <message>
            <location filename="../../gui/window/run_panel.py" />
            <source> — stopped</source>
            <translation> — 중지됨</translation>
        </message>
        <message>
            <location filename="../../gui/window/run_panel.py" />
            <source> — done in {0}</source>
            <translation> — {0} 만에 완료</translation>
        </message>
        <message>
            <source>&amp;Export CSV…</source>
            <translation type="vanished">CSV 내보내기(&amp;E)…</translation>
        </message>
        <message>
            <source>Write the results to a CSV file (Ctrl+S); the arrow offers only the rows the filter shows (Ctrl+Shift+S)</source>
            <translation type="vanished">결과를 CSV 파일로 저장합니다(Ctrl+S). 화살표를 누르면 필터에 보이는 행만 내보낼 수 있습니다(Ctrl+Shift+S)</translation>
        </message>
        <message>
            <source>Sync</source>
            <translation type="vanished">동기</translation>
        </message>
        <message>
            <source>Threads</source>
            <translation type="vanished">스레드</translation>
        </message>
        <message>
            <source>Async</source>
            <translation type="vanished">비동기</translation>
        </message>
    </context>
    <context>
        <name>RunsView</name>
        <message>
            <location filename="../../gui/history/parts.py" />
            <source>Past runs</source>
            <translation>지난 실행</translation>
        </message>
        <message>
            <location filename="../../gui/history/parts.py" />
            <source>Past runs, newest first. Enter opens the current run, Delete deletes the selected ones; select two runs to compare them.</source>
            <translation>지난 실행 목록(최신순). Enter는 현재 실행을 열고 Delete는 선택한 실행을 삭제합니다. 두 실행을 선택하면 비교할 수 있습니다.</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>Settings</source>
            <translation>설정</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source> s</source>
            <translation> 초</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>Longest wait for a connection (TCP and TLS) to open.</source>
            <translation>연결(TCP와 TLS)이 열릴 때까지 기다리는 최대 시간입니다.</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>Deadline for a whole response, from connecting to the last byte, per attempt and in every mode.</source>
            <translation>연결부터 마지막 바이트까지 응답 전체에 주어지는 제한 시간입니다. 시도마다, 모든 모드에 똑같이 적용됩니다.</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>Retries for connection failures, 429 and 503 (honouring Retry-After up to 60 s). Other errors are never retried.</source>
            <translation>연결 실패, 429, 503일 때 재시도하는 횟수입니다(Retry-After는 최대 60초까지 따름). 다른 오류는 재시도하지 않습니다.</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>no limit</source>
            <translation>제한 없음</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>Requests in flight at once to one host; 'no limit' means only the overall concurrency applies.</source>
            <translation>한 호스트에 동시에 보내는 요청 수입니다. '제한 없음'이면 전체 동시 요청 수만 적용됩니다.</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>Redirects to follow before giving up (too_many_redirects).</source>
            <translation>포기하기 전까지 따라갈 리디렉션 수입니다(too_many_redirects).</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source> MB</source>
            <translation> MB</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>Largest body accepted after decompression (too_large).</source>
            <translation>압축 해제 후 받아들이는 최대 본문 크기입니다(too_large).</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>The User-Agent header sent with every request.</source>
            <translation>모든 요청에 보내는 User-Agent 헤더입니다.</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>Verify TLS certificates</source>
            <translation>TLS 인증서 검증</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>Turn off only for hosts you trust: without verification anyone on the way can read and change the pages.</source>
            <translation>신뢰하는 호스트에서만 끄세요. 검증하지 않으면 중간에 있는 누구든 페이지를 읽고 바꿀 수 있습니다.</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>Fetch repeated URLs again</source>
            <translation>중복 URL도 다시 가져오기</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>By default a URL that appears twice is fetched once and its result copied.</source>
            <translation>기본적으로 두 번 나오는 URL은 한 번만 가져오고 결과를 복사합니다.</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>Parse pages (title, description, h1, links)</source>
            <translation>페이지 파싱(제목, 설명, h1, 링크)</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>Parsing runs in separate processes; turn it off to measure fetching only.</source>
            <translation>파싱은 별도 프로세스에서 실행됩니다. 가져오기만 측정하려면 끄세요.</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>This computer</source>
            <translation>이 컴퓨터</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>Dask cluster</source>
            <translation>Dask 클러스터</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>Fetch on this computer, or spread the URLs over the workers of a Dask cluster (the table, progress and timeline stay the same).</source>
            <translation>이 컴퓨터에서 가져오거나, URL을 Dask 클러스터의 워커들에 나눠 가져옵니다(표, 진행률, 타임라인은 그대로입니다).</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>tcp://host:port or local:N</source>
            <translation>tcp://호스트:포트 또는 local:N</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>A running Dask scheduler (tcp://host:port), or local:N to start N worker processes on this computer for each run.</source>
            <translation>실행 중인 Dask 스케줄러(tcp://호스트:포트), 또는 실행마다 이 컴퓨터에서 워커 프로세스 N개를 시작하는 local:N.</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>Dask is not installed here; a cluster run needs it ({0}).</source>
            <translation>이 컴퓨터에 Dask가 설치되어 있지 않습니다. 클러스터 실행에는 Dask가 필요합니다({0}).</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>&amp;Connect timeout:</source>
            <translation>연결 시간 초과(&amp;C):</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>&amp;Total timeout:</source>
            <translation>전체 시간 초과(&amp;T):</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>&amp;Retries:</source>
            <translation>재시도(&amp;R):</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>Per-&amp;host limit:</source>
            <translation>호스트별 제한(&amp;H):</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>Max &amp;redirects:</source>
            <translation>최대 리디렉션(&amp;R):</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>Max &amp;size:</source>
            <translation>최대 크기(&amp;S):</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>&amp;User-Agent:</source>
            <translation>User-Agent(&amp;U):</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>Run &amp;on:</source>
            <translation>실행 위치(&amp;O):</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>&amp;Scheduler:</source>
            <translation>스케줄러(&amp;S):</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>Put every setting back to its default (mode and concurrency too).</source>
            <translation>모든 설정을 기본값으로 되돌립니다(모드와 동시 요청 수 포함).</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>General</source>
            <translation>일반</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>Requests</source>
            <translation>요청</translation>
        </message>
        <message>
            <location filename="../../gui/window/settings_dialog.py" />
            <source>Enter the Dask scheduler's address (tcp://host:port), or local:N.</source>
            <translation>Dask 스케줄러 주소(tcp://호스트:포트) 또는 local:N을 입력하세요.</translation>
        </message>
    </context>
    <context>
        <name>SummaryPanel</name>
        <message>
            <location filename="../../gui/window/summary.py" />
            <source>Wall time</source>
            <translation>총 소요 시간</translation>
        </message>
        <message>
            <location filename="../../gui/window/summary.py" />
            <source>From the start of the run to its last result.</source>
            <translation>실행 시작부터 마지막 결과까지.</translation>
        </message>
        <message>
            <location filename="../../gui/window/summary.py" />
            <source>Sum of per-URL times</source>
            <translation>URL별 시간 합계</translation>
        </message>
        <message>
            <location filename="../../gui/window/summary.py" />
            <source>What the same requests would take one after another.</source>
            <translation>같은 요청을 하나씩 차례로 보냈다면 걸렸을 시간.</translation>
        </message>
        <message>
            <location filename="../../gui/window/summary.py" />
            <source>Effective concurrency</source>
            <translation>실질 동시성</translation>
        </message>
        <message>
            <location filename="../../gui/window/summary.py" />
            <source>Sum of per-URL times ÷ wall time: how many requests were in flight on average.</source>
            <translation>URL별 시간 합계 ÷ 총 소요 시간: 평균적으로 동시에 처리된 요청 수.</translation>
        </message>
        <message>
            <location filename="../../gui/window/summary.py" />
            <source>p50 / p95</source>
            <translation>p50 / p95</translation>
        </message>
        <message>
            <location filename="../../gui/window/summary.py" />
            <source>Median and 95th percentile of the per-URL times.</source>
            <translation>URL별 시간의 중앙값과 95번째 백분위수.</translation>
        </message>
        <message>
            <location filename="../../gui/window/summary.py" />
            <source>OK / failed</source>
            <translation>성공 / 실패</translation>
        </message>
        <message>
            <location filename="../../gui/window/summary.py" />
            <source>Pages fetched successfully / failures (errors of every kind).</source>
            <translation>성공적으로 가져온 페이지 / 실패(모든 종류의 오류).</translation>
        </message>
        <message>
            <location filename="../../gui/window/summary.py" />
            <source>Pages/s</source>
            <translation>초당 페이지</translation>
        </message>
        <message>
            <location filename="../../gui/window/summary.py" />
            <source>Finished URLs per second of wall time.</source>
            <translation>총 소요 시간 1초당 완료된 URL 수.</translation>
        </message>
        <message>
            <location filename="../../gui/window/summary.py" />
            <source>Window responsiveness</source>
            <translation>창 응답성</translation>
        </message>
        <message>
            <location filename="../../gui/window/summary.py" />
            <source>The longest time the window could not react (event-loop stall) during the run, measured by a 10 ms heartbeat; below 50 ms nobody notices.</source>
            <translation>실행 중 창이 반응하지 못한 가장 긴 시간(이벤트 루프 멈춤)으로, 10 ms 간격의 하트비트로 잽니다. 50 ms 미만이면 아무도 느끼지 못합니다.</translation>
        </message>
        <message>
            <location filename="../../gui/window/summary.py" />
            <source> ({0} stopped)</source>
            <translation> ({0}개 중지됨)</translation>
        </message>
        <message>
            <location filename="../../gui/window/summary.py" />
            <source>stayed responsive: worst stall {0} ms</source>
            <translation>계속 반응함: 최대 멈춤 {0} ms</translation>
        </message>
        <message>
            <location filename="../../gui/window/summary.py" />
            <source>worst stall {0} ms</source>
            <translation>최대 멈춤 {0} ms</translation>
        </message>
        <message>
            <location filename="../../gui/window/summary.py" />
            <source> (p99 {0} ms)</source>
            <translation> (p99 {0} ms)</translation>
        </message>
    </context>
    <context>
        <name>Timeline</name>
        <message>
            <location filename="../../gui/timeline/paint.py" />
            <source>rate</source>
            <translation>속도</translation>
        </message>
        <message>
            <location filename="../../gui/timeline/paint.py" />
            <source>queued</source>
            <translation>대기</translation>
        </message>
        <message>
            <location filename="../../gui/timeline/paint.py" />
            <source>connect</source>
            <translation>연결</translation>
        </message>
        <message>
            <location filename="../../gui/timeline/paint.py" />
            <source>TTFB</source>
            <translation>TTFB</translation>
        </message>
        <message>
            <location filename="../../gui/timeline/paint.py" />
            <source>rate limit</source>
            <translation>속도 제한 대기</translation>
        </message>
        <message>
            <location filename="../../gui/timeline/paint.py" />
            <source>waiting for a slot</source>
            <translation>빈자리 대기</translation>
        </message>
        <message>
            <location filename="../../gui/timeline/paint.py" />
            <source>DNS</source>
            <translation>DNS</translation>
        </message>
        <message>
            <location filename="../../gui/timeline/paint.py" />
            <source>connect (TCP, TLS)</source>
            <translation>연결(TCP, TLS)</translation>
        </message>
        <message>
            <location filename="../../gui/timeline/paint.py" />
            <source>waiting for first byte</source>
            <translation>첫 바이트 대기</translation>
        </message>
        <message>
            <location filename="../../gui/timeline/paint.py" />
            <source>download</source>
            <translation>다운로드</translation>
        </message>
        <message>
            <location filename="../../gui/timeline/paint.py" />
            <source>parse</source>
            <translation>파싱</translation>
        </message>
        <message>
            <location filename="../../gui/timeline/paint.py" />
            <source>failed</source>
            <translation>실패</translation>
        </message>
    </context>
    <context>
        <name>TimelineExporter</name>
        <message numerus="yes">
            <location filename="../../gui/timeline/export.py" />
            <source>Fetchlens — %n URL(s) on a time axis</source>
            <translation>
                <numerusform>Fetchlens — 시간 축 위의 URL %n개</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>TimelineView</name>
        <message>
            <location filename="../../gui/timeline/view.py" />
            <source>Fit</source>
            <translation>맞추기</translation>
        </message>
        <message>
            <location filename="../../gui/timeline/view.py" />
            <source>Show the whole run (F). Wheel zooms, drag pans.</source>
            <translation>실행 전체를 보여 줍니다(F). 휠로 확대·축소, 드래그로 이동합니다.</translation>
        </message>
        <message>
            <location filename="../../gui/timeline/view.py" />
            <source>Request timeline: wheel zooms, drag pans, double-click fits, click selects a URL</source>
            <translation>요청 타임라인: 휠로 확대·축소, 드래그로 이동, 더블클릭으로 맞추기, 클릭으로 URL 선택</translation>
        </message>
        <message>
            <location filename="../../gui/timeline/view.py" />
            <source>Request timeline</source>
            <translation>요청 타임라인</translation>
        </message>
        <message>
            <location filename="../../gui/timeline/view.py" />
            <source>One bar per URL will appear here when a run starts.</source>
            <translation>실행을 시작하면 URL마다 막대가 하나씩 여기에 나타납니다.</translation>
        </message>
        <message>
            <location filename="../../gui/timeline/view.py" />
            <source>not started yet</source>
            <translation>아직 시작 안 함</translation>
        </message>
        <message>
            <location filename="../../gui/timeline/view.py" />
            <source>in flight</source>
            <translation>진행 중</translation>
        </message>
        <message>
            <location filename="../../gui/timeline/view.py" />
            <source>{start} → {end}  ({state})</source>
            <translation>{start} → {end}  ({state})</translation>
        </message>
        <message numerus="yes">
            <source>Fetchlens — %n URL(s) on a time axis</source>
            <translation type="vanished">
                <numerusform>Fetchlens — 시간 축 위의 URL %n개</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>UrlEdit</name>
        <message>
            <location filename="../../gui/urls/editor.py" />
            <source>Line {0}: {1}</source>
            <translation>{0}행: {1}</translation>
        </message>
    </context>
    <context>
        <name>UrlPanel</name>
        <message>
            <location filename="../../gui/urls/panel.py" />
            <source>duplicate of line {0}</source>
            <translation>{0}행과 중복</translation>
        </message>
        <message>
            <location filename="../../gui/urls/panel.py" />
            <source>Paste URLs here, one per line — or try the demo (F1)…</source>
            <translation>여기에 URL을 한 줄에 하나씩 붙여 넣으세요. 또는 데모를 실행해 보세요(F1)…</translation>
        </message>
        <message>
            <location filename="../../gui/urls/panel.py" />
            <source>One URL per line. Blank lines and lines starting with # are ignored.
Invalid lines are marked red, repeated URLs amber; hover for the reason.</source>
            <translation>한 줄에 URL 하나. 빈 줄과 #으로 시작하는 줄은 무시합니다.
잘못된 줄은 빨간색, 중복 URL은 주황색으로 표시됩니다. 마우스를 올리면 이유가 보입니다.</translation>
        </message>
        <message>
            <location filename="../../gui/urls/panel.py" />
            <source>Next invalid</source>
            <translation>다음 잘못된 줄</translation>
        </message>
        <message>
            <location filename="../../gui/urls/panel.py" />
            <source>Jump to the next invalid line (F8)</source>
            <translation>다음 잘못된 줄로 이동(F8)</translation>
        </message>
        <message>
            <location filename="../../gui/urls/panel.py" />
            <source>Replace the URLs?</source>
            <translation>URL을 바꿀까요?</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gui/urls/panel.py" />
            <source>The URL box holds %Ln line(s) you typed or pasted. Replace them with {0}?</source>
            <translation>
                <numerusform>URL 상자에 직접 입력하거나 붙여 넣은 줄이 %Ln개 있습니다. {0}(으)로 바꿀까요?</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../gui/urls/panel.py" />
            <source>Replace</source>
            <translation>바꾸기</translation>
        </message>
        <message>
            <location filename="../../gui/urls/panel.py" />
            <source>Reading sitemaps…</source>
            <translation>사이트맵 읽는 중…</translation>
        </message>
        <message>
            <location filename="../../gui/urls/panel.py" />
            <source>Loading…</source>
            <translation>불러오는 중…</translation>
        </message>
        <message>
            <location filename="../../gui/urls/panel.py" />
            <source>No URLs yet</source>
            <translation>아직 URL이 없습니다</translation>
        </message>
        <message>
            <location filename="../../gui/urls/panel.py" />
            <source>{0} valid</source>
            <translation>유효 {0}</translation>
        </message>
        <message>
            <location filename="../../gui/urls/panel.py" />
            <source>{0} invalid</source>
            <translation>잘못됨 {0}</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gui/urls/panel.py" />
            <source>%Ln duplicate(s)</source>
            <translation>
                <numerusform>중복 %Ln</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../gui/urls/panel.py" />
            <source>{0} lines: {1} valid (of which {2} repeat an earlier URL and are fetched once), {3} invalid</source>
            <translation>{0}줄: 유효 {1}(그중 {2}개는 앞의 URL과 같아 한 번만 가져옴), 잘못됨 {3}</translation>
        </message>
        <message>
            <source>{0} duplicates</source>
            <translation type="vanished">중복 {0}</translation>
        </message>
    </context>
    <context>
        <name>Vocabulary</name>
        <message>
            <location filename="../../gui/app/vocabulary.py" />
            <source>Sync</source>
            <translation>동기</translation>
        </message>
        <message>
            <location filename="../../gui/app/vocabulary.py" />
            <source>Threads</source>
            <translation>스레드</translation>
        </message>
        <message>
            <location filename="../../gui/app/vocabulary.py" />
            <source>Async</source>
            <translation>비동기</translation>
        </message>
        <message>
            <location filename="../../gui/app/vocabulary.py" />
            <source>running</source>
            <translation>실행 중</translation>
        </message>
        <message>
            <location filename="../../gui/app/vocabulary.py" />
            <source>finished</source>
            <translation>완료</translation>
        </message>
        <message>
            <location filename="../../gui/app/vocabulary.py" />
            <source>stopped</source>
            <translation>중지됨</translation>
        </message>
        <message>
            <location filename="../../gui/app/vocabulary.py" />
            <source>interrupted</source>
            <translation>중단됨</translation>
        </message>
        <message>
            <location filename="../../gui/app/vocabulary.py" />
            <source>run</source>
            <translation>실행</translation>
        </message>
        <message>
            <location filename="../../gui/app/vocabulary.py" />
            <source>resume</source>
            <translation>이어서 실행</translation>
        </message>
        <message>
            <location filename="../../gui/app/vocabulary.py" />
            <source>retry</source>
            <translation>재시도</translation>
        </message>
        <message>
            <location filename="../../gui/app/vocabulary.py" />
            <source>compare</source>
            <translation>비교</translation>
        </message>
    </context>
</TS>
