/** Alert kinds the simulated tenant raises, modelled on real Defender for Endpoint detections. */
export type EvidenceKind = 'process' | 'file' | 'registry' | 'user';
export type MdeSeverity = 'Informational' | 'Low' | 'Medium' | 'High';

export interface AlertTemplate {
  readonly title: string;
  readonly description: string;
  readonly category: string;
  readonly detectionSource:
    'WindowsDefenderAv' | 'WindowsDefenderAtp' | 'WindowsDefenderSmartScreen' | 'CustomDetection';
  readonly severity: readonly (readonly [MdeSeverity, number])[];
  readonly mitreTechniques: readonly string[];
  readonly threatFamilyName: string | null;
  readonly evidence: readonly EvidenceKind[];
  readonly fileName: string;
  readonly commandLine: string;
}

export const RECOMMENDED_ACTIONS =
  'Collect artifacts and determine scope\n' +
  '\tReview the machine timeline for suspicious activities that may have occurred before and after the time of the alert.\n' +
  '\tLook for the presence of relevant artifacts on other systems.\n\n' +
  'Initiate containment & mitigation\n' +
  '\tContact the user to verify intent and initiate local remediation actions as needed.\n' +
  '\tUpdate AV signatures and run a full scan.\n' +
  '\tIf credential theft is suspected, reset all relevant users passwords.';

export const ALERT_TEMPLATES: readonly AlertTemplate[] = [
  {
    title: "Suspicious 'Meterpreter' behavior was detected",
    description:
      'Malware and unwanted software are undesirable applications that perform annoying, disruptive, or harmful actions on affected machines. Because this malware was active, take precautionary measures and check for residual signs of infection.',
    category: 'SuspiciousActivity',
    detectionSource: 'WindowsDefenderAv',
    severity: [
      ['Low', 3],
      ['Medium', 2],
    ],
    mitreTechniques: ['T1064', 'T1085', 'T1220'],
    threatFamilyName: 'Meterpreter',
    evidence: ['user', 'process', 'file'],
    fileName: 'update.ps1',
    commandLine: 'powershell.exe -ExecutionPolicy Bypass -File C:\\Users\\Public\\update.ps1',
  },
  {
    title: 'Low-reputation arbitrary code executed by signed executable',
    description:
      'Binaries signed by Microsoft can be used to run low-reputation arbitrary code. This technique hides the execution of malicious code within a trusted process.',
    category: 'Execution',
    detectionSource: 'WindowsDefenderAtp',
    severity: [
      ['Low', 3],
      ['Medium', 1],
    ],
    mitreTechniques: ['T1218.011'],
    threatFamilyName: null,
    evidence: ['user', 'process', 'file'],
    fileName: 'suspicious.dll',
    commandLine: 'rundll32.exe  c:\\temp\\suspicious.dll,RepeatAfterMe',
  },
  {
    title: 'Suspicious execution of hidden file',
    description:
      'A hidden file has been launched. This activity could indicate a compromised host. Attackers often hide files associated with malicious tools to evade file system inspection and defenses.',
    category: 'DefenseEvasion',
    detectionSource: 'WindowsDefenderAtp',
    severity: [
      ['Low', 2],
      ['Medium', 2],
    ],
    mitreTechniques: ['T1564.001'],
    threatFamilyName: null,
    evidence: ['process', 'file'],
    fileName: 'svchosts.exe',
    commandLine: '"svchosts.exe" -k netsvcs',
  },
  {
    title: 'Ransomware behavior detected in the file system',
    description:
      'A process changed many files in a short time and created ransom notes, a pattern typical of ransomware. Isolate the device and investigate the process tree.',
    category: 'Ransomware',
    detectionSource: 'WindowsDefenderAtp',
    severity: [['High', 1]],
    mitreTechniques: ['T1486', 'T1490'],
    threatFamilyName: 'Lockbit',
    evidence: ['user', 'process', 'file'],
    fileName: 'lb3.exe',
    commandLine: 'lb3.exe -pass 0f1e2d',
  },
  {
    title: "An active 'Mimikatz' credential theft tool was detected",
    description:
      'A credential theft tool was found running on the device. Attackers use it to read passwords and hashes from memory and move laterally.',
    category: 'CredentialAccess',
    detectionSource: 'WindowsDefenderAv',
    severity: [
      ['High', 2],
      ['Medium', 1],
    ],
    mitreTechniques: ['T1003.001'],
    threatFamilyName: 'Mimikatz',
    evidence: ['user', 'process', 'file'],
    fileName: 'mimi.exe',
    commandLine: 'mimi.exe "privilege::debug" "sekurlsa::logonpasswords" exit',
  },
  {
    title: "'PUA:Win32/Presenoker' unwanted software was detected",
    description:
      'Potentially unwanted applications can affect productivity and performance. They are often bundled with free software.',
    category: 'UnwantedSoftware',
    detectionSource: 'WindowsDefenderAv',
    severity: [
      ['Informational', 2],
      ['Low', 3],
    ],
    mitreTechniques: [],
    threatFamilyName: 'Presenoker',
    evidence: ['file'],
    fileName: 'setup_free_converter.exe',
    commandLine: 'setup_free_converter.exe /S',
  },
  {
    title: 'Suspicious PowerShell command line',
    description:
      'A suspicious PowerShell activity was observed. Encoded or obfuscated commands are often used by attackers to download and run payloads.',
    category: 'Execution',
    detectionSource: 'WindowsDefenderAtp',
    severity: [
      ['Medium', 3],
      ['High', 1],
    ],
    mitreTechniques: ['T1059.001', 'T1027'],
    threatFamilyName: null,
    evidence: ['user', 'process'],
    fileName: 'powershell.exe',
    commandLine: 'powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAKQA=',
  },
  {
    title: 'Anomaly detected in ASEP registry',
    description:
      'A process registered a suspicious command or file in an auto-start registry key, so that it runs after every restart.',
    category: 'Persistence',
    detectionSource: 'WindowsDefenderAtp',
    severity: [
      ['Medium', 2],
      ['Low', 1],
    ],
    mitreTechniques: ['T1547.001'],
    threatFamilyName: null,
    evidence: ['process', 'registry'],
    fileName: 'reg.exe',
    commandLine:
      'reg.exe add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v updater /d C:\\Users\\Public\\u.exe',
  },
  {
    title: 'Connection to a custom network indicator',
    description:
      'A device connected to an IP address or URL that the organization added to its custom indicators.',
    category: 'CommandAndControl',
    detectionSource: 'CustomDetection',
    severity: [
      ['Medium', 2],
      ['High', 1],
    ],
    mitreTechniques: ['T1071.001'],
    threatFamilyName: null,
    evidence: ['process'],
    fileName: 'chrome.exe',
    commandLine: '"chrome.exe" --type=utility',
  },
  {
    title: "SmartScreen blocked the malicious file 'invoice_8841.iso'",
    description:
      'Microsoft Defender SmartScreen blocked a file that is known to be malicious from being opened.',
    category: 'InitialAccess',
    detectionSource: 'WindowsDefenderSmartScreen',
    severity: [
      ['Informational', 1],
      ['Low', 2],
    ],
    mitreTechniques: ['T1566.001'],
    threatFamilyName: null,
    evidence: ['user', 'file'],
    fileName: 'invoice_8841.iso',
    commandLine: 'explorer.exe',
  },
];
