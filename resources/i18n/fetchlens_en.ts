<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
    <context>
        <name>FileCommands</name>
        <message numerus="yes">
            <location filename="../../gui/window/files.py" />
            <source>Exported %Ln row(s) to {0}</source>
            <translation>
                <numerusform>Exported %Ln row to {0}</numerusform>
                <numerusform>Exported %Ln rows to {0}</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>HistoryWindow</name>
        <message numerus="yes">
            <location filename="../../gui/history/window.py" />
            <source>%Ln run(s) in the history</source>
            <translation>
                <numerusform>%Ln run in the history</numerusform>
                <numerusform>%Ln runs in the history</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../gui/history/window.py" />
            <source>Run #{0}: %Ln row(s)</source>
            <translation>
                <numerusform>Run #{0}: %Ln row</numerusform>
                <numerusform>Run #{0}: %Ln rows</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../gui/history/window.py" />
            <source>Exported %Ln row(s) of run #{0} to {1}</source>
            <translation>
                <numerusform>Exported %Ln row of run #{0} to {1}</numerusform>
                <numerusform>Exported %Ln rows of run #{0} to {1}</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../gui/history/window.py" />
            <source>Delete %Ln run(s) and their results from the history?</source>
            <translation>
                <numerusform>Delete %Ln run and its results from the history?</numerusform>
                <numerusform>Delete %Ln runs and their results from the history?</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../gui/history/window.py" />
            <source>Deleted %Ln run(s)</source>
            <translation>
                <numerusform>Deleted %Ln run</numerusform>
                <numerusform>Deleted %Ln runs</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message numerus="yes">
            <location filename="../../gui/window/main_window.py" />
            <source>Nothing to fetch: none of the %Ln line(s) is a valid URL</source>
            <translation>
                <numerusform>Nothing to fetch: the line is not a valid URL</numerusform>
                <numerusform>Nothing to fetch: none of the %Ln lines is a valid URL</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../gui/window/main_window.py" />
            <source>Running %Ln URL(s) in {0} mode…</source>
            <translation>
                <numerusform>Running %Ln URL in {0} mode…</numerusform>
                <numerusform>Running %Ln URLs in {0} mode…</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../gui/window/main_window.py" />
            <source>%Ln line(s)</source>
            <translation>
                <numerusform>%Ln line</numerusform>
                <numerusform>%Ln lines</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>ModeRow</name>
        <message numerus="yes">
            <location filename="../../gui/compare/parts.py" />
            <source>%Ln URL(s) done after {t}</source>
            <translation>
                <numerusform>%Ln URL done after {t}</numerusform>
                <numerusform>%Ln URLs done after {t}</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>TimelineExporter</name>
        <message numerus="yes">
            <location filename="../../gui/timeline/export.py" />
            <source>Fetchlens — %n URL(s) on a time axis</source>
            <translation>
                <numerusform>Fetchlens — %n URL on a time axis</numerusform>
                <numerusform>Fetchlens — %n URLs on a time axis</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>UrlPanel</name>
        <message numerus="yes">
            <location filename="../../gui/urls/panel.py" />
            <source>The URL box holds %Ln line(s) you typed or pasted. Replace them with {0}?</source>
            <translation>
                <numerusform>The URL box holds %Ln line you typed or pasted. Replace it with {0}?</numerusform>
                <numerusform>The URL box holds %Ln lines you typed or pasted. Replace them with {0}?</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../gui/urls/panel.py" />
            <source>%Ln duplicate(s)</source>
            <translation>
                <numerusform>%Ln duplicate</numerusform>
                <numerusform>%Ln duplicates</numerusform>
            </translation>
        </message>
    </context>
</TS>
