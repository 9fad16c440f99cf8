; Inno Setup script: the Windows installer of SEE-1 Previs.
;
;   iscc /DAppVersion=0.1.0 /DBundleDir=..\..\build\dist\see1-previs ^
;        /DOutputDir=..\..\dist packaging\windows\see1previs.iss
;
; Installs the PyInstaller folder into Program Files\SEE-1 Previs, adds a Start-menu entry
; (and optionally a desktop icon), puts the folder on the machine's PATH so `see1-previs`
; works in any terminal, and registers an uninstaller. Needs no internet and no Python.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef BundleDir
  #define BundleDir "..\..\build\dist\see1-previs"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

[Setup]
AppId={{6E1B7C52-3F0A-4C7E-9E5D-5EE1A0F1C0DE}
AppName=SEE-1 Previs
AppVersion={#AppVersion}
AppPublisher=SEE-1
DefaultDirName={autopf}\SEE-1 Previs
DefaultGroupName=SEE-1 Previs
DisableProgramGroupPage=yes
OutputDir={#OutputDir}
OutputBaseFilename=see1-previs-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\assets\icons\see1-previs.ico
UninstallDisplayIcon={app}\see1-previs.exe
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequired=admin
ChangesEnvironment=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\SEE-1 Previs"; Filename: "{app}\see1-previs.exe"; IconFilename: "{app}\see1-previs.exe"
Name: "{group}\SEE-1 Previs self-test"; Filename: "{cmd}"; Parameters: "/k ""{app}\see1-previs.exe"" --self-test"
Name: "{autodesktop}\SEE-1 Previs"; Filename: "{app}\see1-previs.exe"; Tasks: desktopicon

[Registry]
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"; \
    ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; \
    Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\see1-previs.exe"; Description: "{cm:LaunchProgram,SEE-1 Previs}"; Flags: nowait postinstall skipifsilent

[Code]
function NeedsAddPath(Folder: string): Boolean;
var
  Current: string;
begin
  if not RegQueryStringValue(HKLM, 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment', 'Path', Current) then
  begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Folder) + ';', ';' + Uppercase(Current) + ';') = 0;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Current, Folder: string;
  Index: Integer;
begin
  if CurUninstallStep <> usPostUninstall then
    exit;
  if not RegQueryStringValue(HKLM, 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment', 'Path', Current) then
    exit;
  Folder := ';' + ExpandConstant('{app}');
  Index := Pos(Uppercase(Folder), Uppercase(Current));
  if Index > 0 then
  begin
    Delete(Current, Index, Length(Folder));
    RegWriteExpandStringValue(HKLM, 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment', 'Path', Current);
  end;
end;
