/**
 * Installed-software products the findings are about, with the lower-case vendor/product ids Defender's export
 * uses. `versions` are the vulnerable versions seen in the fleet; `cveShare` is the product's share of the CVE
 * catalog (operating systems and browsers dominate, as in real tenants).
 */
export type UpdateKind = 'kb' | 'version' | 'rhsa' | 'usn';

export interface SoftwareProduct {
  readonly vendor: string;
  readonly name: string;
  readonly displayName: string;
  readonly versions: readonly string[];
  readonly fixedVersion: string;
  readonly cveShare: number;
  readonly update: UpdateKind;
  readonly releaseNotesUrl: string | null;
  readonly diskPath: string | null;
  readonly registryPath: string | null;
}

const UNINSTALL = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall';

function product(
  vendor: string,
  name: string,
  displayName: string,
  versions: readonly string[],
  fixedVersion: string,
  cveShare: number,
  update: UpdateKind,
  paths: { disk?: string; registry?: string; notes?: string } = {},
): SoftwareProduct {
  return {
    vendor,
    name,
    displayName,
    versions,
    fixedVersion,
    cveShare,
    update,
    releaseNotesUrl: paths.notes ?? null,
    diskPath: paths.disk ?? null,
    registryPath: paths.registry ?? null,
  };
}

export const PRODUCTS = {
  windows10: product(
    'microsoft',
    'windows_10',
    'Windows 10',
    ['10.0.19044.4894', '10.0.19044.5011', '10.0.19045.4894', '10.0.19045.5011', '10.0.19045.5131'],
    '10.0.19045.5247',
    18,
    'kb',
  ),
  windows11: product(
    'microsoft',
    'windows_11',
    'Windows 11',
    ['10.0.22621.4317', '10.0.22631.4317', '10.0.22631.4460', '10.0.26100.2161', '10.0.26100.2314'],
    '10.0.26100.2605',
    14,
    'kb',
  ),
  server2016: product(
    'microsoft',
    'windows_server_2016',
    'Windows Server 2016',
    ['10.0.14393.7428', '10.0.14393.7515'],
    '10.0.14393.7606',
    6,
    'kb',
  ),
  server2019: product(
    'microsoft',
    'windows_server_2019',
    'Windows Server 2019',
    ['10.0.17763.6414', '10.0.17763.6532'],
    '10.0.17763.6659',
    10,
    'kb',
  ),
  server2022: product(
    'microsoft',
    'windows_server_2022',
    'Windows Server 2022',
    ['10.0.20348.2762', '10.0.20348.2849'],
    '10.0.20348.2966',
    9,
    'kb',
  ),
  edge: product(
    'microsoft',
    'edge',
    'Microsoft Edge',
    ['128.0.2739.79', '129.0.2792.89', '130.0.2849.68'],
    '131.0.2903.70',
    8,
    'version',
    {
      disk: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
      registry: `${UNINSTALL}\\Microsoft Edge`,
      notes: 'https://learn.microsoft.com/deployedge/microsoft-edge-relnotes-security',
    },
  ),
  office: product(
    'microsoft',
    '365_apps_for_enterprise',
    'Microsoft 365 Apps for enterprise',
    ['16.0.17928.20156', '16.0.18025.20160'],
    '16.0.18129.20158',
    5,
    'kb',
    {
      disk: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
      registry: `${UNINSTALL}\\O365ProPlusRetail - en-us`,
    },
  ),
  dotnet: product(
    'microsoft',
    '.net_framework',
    '.NET Framework',
    ['4.8.4739.0', '4.8.9256.0'],
    '4.8.9282.0',
    2,
    'kb',
    {
      registry: 'SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\v4\\Full\\Install',
    },
  ),
  teams: product(
    'microsoft',
    'teams',
    'Microsoft Teams',
    ['24215.1007.3082.1590', '24243.1309.3132.617'],
    '24295.605.3225.8804',
    1,
    'version',
    {
      disk: 'C:\\Program Files\\WindowsApps\\MSTeams_24243.1309.3132.617_x64__8wekyb3d8bbwe\\ms-teams.exe',
    },
  ),
  onedrive: product(
    'microsoft',
    'onedrive',
    'OneDrive',
    ['24.181.0908.0001', '24.201.1006.0005'],
    '24.221.1103.0002',
    1,
    'version',
    {
      registry:
        'HKEY_USERS\\S-1-5-21-2944539346-1310925172-2349113062-1001\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\OneDriveSetup.exe',
    },
  ),
  sqlServer: product(
    'microsoft',
    'sql_server_2019',
    'SQL Server 2019',
    ['15.0.4375.4', '15.0.4385.2'],
    '15.0.4405.4',
    2,
    'kb',
    {
      disk: 'C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe',
    },
  ),
  vscode: product(
    'microsoft',
    'visual_studio_code',
    'Visual Studio Code',
    ['1.93.1', '1.94.2'],
    '1.95.3',
    1,
    'version',
    {
      disk: 'C:\\Program Files\\Microsoft VS Code\\Code.exe',
    },
  ),
  chrome: product(
    'google',
    'chrome',
    'Google Chrome',
    ['127.0.6533.120', '128.0.6613.138', '129.0.6668.101', '130.0.6723.117'],
    '131.0.6778.86',
    8,
    'version',
    {
      disk: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
      registry: `${UNINSTALL}\\Google Chrome`,
      notes: 'https://chromereleases.googleblog.com/',
    },
  ),
  firefox: product(
    'mozilla',
    'firefox',
    'Mozilla Firefox',
    ['128.0.3', '130.0.1', '131.0.3'],
    '133.0',
    5,
    'version',
    {
      disk: 'C:\\Program Files\\Mozilla Firefox\\firefox.exe',
      registry: `${UNINSTALL}\\Mozilla Firefox 131.0.3 (x64 en-US)`,
      notes: 'https://www.mozilla.org/security/advisories/',
    },
  ),
  acrobat: product(
    'adobe',
    'acrobat_reader_dc',
    'Adobe Acrobat Reader DC',
    ['24.002.21005', '24.003.20112'],
    '24.005.20307',
    4,
    'version',
    {
      disk: 'C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\Acrobat.exe',
      registry: `${UNINSTALL}\\{AC76BA86-1033-FFFF-7760-BC15014EA700}`,
      notes: 'https://helpx.adobe.com/security/products/acrobat.html',
    },
  ),
  jre: product(
    'oracle',
    'jre',
    'Java Runtime Environment',
    ['8.0.4110.9', '8.0.4210.9'],
    '8.0.4310.10',
    3,
    'version',
    {
      disk: 'C:\\Program Files\\Java\\jre-1.8\\bin\\java.exe',
      registry: `${UNINSTALL}\\{26A24AE4-039D-4CA4-87B4-2F64180421F0}`,
    },
  ),
  openssl: product('openssl', 'openssl', 'OpenSSL', ['1.1.1w', '3.0.13', '3.0.14'], '3.0.15', 3, 'version', {
    disk: '/usr/lib/x86_64-linux-gnu/libssl.so.3',
    notes: 'https://www.openssl.org/news/vulnerabilities.html',
  }),
  sevenZip: product('7-zip', '7-zip', '7-Zip', ['22.1.0.0', '23.1.0.0'], '24.08', 1, 'version', {
    disk: 'C:\\Program Files\\7-Zip\\7z.exe',
    registry: `${UNINSTALL}\\7-Zip`,
  }),
  notepadPlusPlus: product(
    'notepad-plus-plus',
    'notepad++',
    'Notepad++',
    ['8.5.8', '8.6.4'],
    '8.7.1',
    1,
    'version',
    {
      disk: 'C:\\Program Files\\Notepad++\\notepad++.exe',
      registry: `${UNINSTALL}\\Notepad++`,
    },
  ),
  vlc: product(
    'videolan',
    'vlc_media_player',
    'VLC media player',
    ['3.0.18', '3.0.20'],
    '3.0.21',
    1,
    'version',
    {
      disk: 'C:\\Program Files\\VideoLAN\\VLC\\vlc.exe',
      registry: `${UNINSTALL}\\VLC media player`,
    },
  ),
  zoom: product('zoom', 'zoom', 'Zoom Workplace', ['6.1.11.45328', '6.2.3.48700'], '6.2.10', 1, 'version', {
    disk: 'C:\\Program Files\\Zoom\\bin\\Zoom.exe',
  }),
  python: product('python', 'python', 'Python', ['3.11.4', '3.12.2'], '3.12.7', 1, 'version', {
    disk: 'C:\\Program Files\\Python312\\python.exe',
  }),
  git: product('git-scm', 'git', 'Git', ['2.44.0', '2.45.1'], '2.47.0', 1, 'version', {
    disk: 'C:\\Program Files\\Git\\cmd\\git.exe',
    registry: `${UNINSTALL}\\Git_is1`,
  }),
  putty: product('simon_tatham', 'putty', 'PuTTY', ['0.79', '0.80'], '0.81', 1, 'version', {
    disk: 'C:\\Program Files\\PuTTY\\putty.exe',
  }),
  macos: product(
    'apple',
    'macos',
    'macOS',
    ['13.7', '14.6.1', '14.7', '15.0.1', '15.1'],
    '15.1.1',
    5,
    'version',
    {
      notes: 'https://support.apple.com/en-us/100100',
    },
  ),
  safari: product('apple', 'safari', 'Safari', ['17.6', '18.0'], '18.1.1', 2, 'version', {
    disk: '/Applications/Safari.app',
  }),
  ios: product('apple', 'ios', 'iOS', ['17.6.1', '18.0.1', '18.1'], '18.1.1', 3, 'version'),
  android: product('google', 'android', 'Android', ['13', '14'], '15', 3, 'version'),
  linuxKernel: product(
    'linux',
    'linux_kernel',
    'Linux kernel',
    ['5.15.0-119.129', '6.8.0-45.45', '6.1.0-25'],
    '6.8.0-49.49',
    6,
    'usn',
    {
      disk: '/boot/vmlinuz',
    },
  ),
  rhelKernel: product(
    'red_hat',
    'kernel',
    'kernel',
    ['0:5.14.0-427.42.1.el9_4', '0:4.18.0-553.22.1.el8_10'],
    '0:5.14.0-503.11.1.el9_5',
    6,
    'rhsa',
    {
      disk: '/boot/vmlinuz',
    },
  ),
  sudo: product('sudo_project', 'sudo', 'sudo', ['1.9.9', '1.9.13p3'], '1.9.15p5', 1, 'usn', {
    disk: '/usr/bin/sudo',
  }),
  curl: product('haxx', 'curl', 'curl', ['7.81.0', '8.5.0'], '8.11.0', 2, 'usn', { disk: '/usr/bin/curl' }),
  openssh: product('openbsd', 'openssh', 'OpenSSH', ['8.9p1', '9.6p1'], '9.8p1', 1, 'usn', {
    disk: '/usr/sbin/sshd',
  }),
  busybox: product('busybox', 'busybox', 'BusyBox', ['1.31.1', '1.33.2'], '1.36.1', 1, 'version', {
    disk: '/bin/busybox',
  }),
} as const satisfies Record<string, SoftwareProduct>;

export type ProductKey = keyof typeof PRODUCTS;

/** Products in a fixed order; findings refer to them by position. */
export const PRODUCT_KEYS = Object.keys(PRODUCTS) as ProductKey[];
export const PRODUCT_LIST: readonly SoftwareProduct[] = PRODUCT_KEYS.map((key) => PRODUCTS[key]);

export function productIndex(key: ProductKey): number {
  return PRODUCT_KEYS.indexOf(key);
}
