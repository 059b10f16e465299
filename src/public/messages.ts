import type { Catalogue, Keys } from '../i18n/keys';

/** Texts of the public feature; keys start with "public.". */
export const de = {
  'public.overview.searchTitle': 'Auftritte suchen',
  'public.overview.q': 'Suchbegriff',
  'public.overview.qHint': 'Zum Beispiel „Museum“, „Bibliothek“ oder „Feuerwehr“.',
  'public.overview.platform': 'Plattform',
  'public.overview.platformAll': 'Alle Plattformen',
  'public.overview.unit': 'Organisationseinheit',
  'public.overview.unitHint': 'Mit allen untergeordneten Einheiten.',
  'public.overview.unitAll': 'Alle Organisationseinheiten',
  'public.overview.submit': 'Suchen',
  'public.overview.reset': 'Suche und Filter zurücksetzen',
  'public.overview.changeSearch': 'Suche ändern',
  'public.overview.allTitle': 'Alle Auftritte',
  'public.overview.resultsTitle': 'Suchergebnis',
  'public.overview.centralTitle': 'Zentraler Auftritt von Stadt und Region',
  'public.overview.noUnit': 'Ohne Organisationseinheit',
  'public.overview.continued': '(Fortsetzung)',
  'public.overview.countOne': 'Ein offizieller Auftritt.',
  'public.overview.countMany': '{count} offizielle Auftritte.',
  'public.overview.foundOne': 'Ein Auftritt gefunden.',
  'public.overview.foundMany': '{count} Auftritte gefunden.',
  'public.overview.range': 'Angezeigt werden {from} bis {to} (Seite {page} von {pages}).',
  'public.overview.empty': 'Keine Auftritte gefunden.',
  'public.overview.emptyHint': 'Versuchen Sie einen anderen Suchbegriff oder eine andere Auswahl.',
  'public.overview.emptyRegister': 'Es sind noch keine Auftritte eingetragen.',
  'public.overview.firstPage': 'Zur ersten Seite der Übersicht',
  'public.overview.aboutTitle': 'Über dieses Register',
  'public.overview.dataTitle': 'Offene Daten',
  'public.overview.dataCsv': 'Alle Auftritte als CSV-Datei (für Tabellenkalkulationen)',
  'public.overview.dataJson': 'Alle Auftritte als JSON-Datei',
  'public.overview.dataAtom': 'Neue Auftritte als Atom-Feed (Newsfeed)',
  'public.overview.dataApi': 'Beschreibung der Schnittstelle (OpenAPI)',

  'public.pagination.label': 'Seiten der Übersicht',
  'public.pagination.previous': 'Vorherige Seite',
  'public.pagination.next': 'Nächste Seite',
  'public.pagination.pageWord': 'Seite',
  'public.pagination.pageOf': 'Seite {page} von {pages}',

  'public.error.repeated': 'Diese Angabe darf in der Adresse nur einmal vorkommen.',
  'public.error.qTooLong': 'Der Suchbegriff darf höchstens {max} Zeichen lang sein.',
  'public.error.platformUnknown': 'Diese Plattform gibt es im Register nicht. Wählen Sie eine Plattform aus der Liste.',
  'public.error.unitUnknown': 'Diese Organisationseinheit gibt es im Register nicht. Wählen Sie eine aus der Liste.',
  'public.error.pageInvalid': 'Die Seitenzahl muss eine ganze Zahl ab 1 sein.',
  'public.error.pageTooHigh': 'Seite {page} gibt es nicht: Die Übersicht hat {pages} Seite(n).',

  'public.card.unit': 'Organisationseinheit',
  'public.card.lastConfirmed': 'Zuletzt bestätigt',
  'public.card.notConfirmed': 'Noch nicht bestätigt',
  'public.card.external': '{name} auf {platform}',
  'public.card.externalNote': 'externer Link: Sie verlassen das Angebot der Landeshauptstadt Hannover',
  'public.card.hannoverDe': 'Seite der Organisationseinheit auf Hannover.de',
  'public.card.address': 'Adresse',

  'public.presence.official': 'Offizieller Auftritt der Landeshauptstadt Hannover',
  'public.presence.formerly': 'Ehemals offizieller Auftritt – offiziell bis zum {date}',
  'public.presence.formerlyUndated': 'Ehemals offizieller Auftritt',
  'public.presence.formerlyText':
    'Die Landeshauptstadt Hannover betreut diesen Account nicht mehr. Was dort heute steht, sind keine Informationen der Stadt.',
  'public.presence.account': 'Account',
  'public.presence.platform': 'Plattform',
  'public.presence.hannoverDe': 'Hannover.de',
  'public.presence.publishedAt': 'Offiziell seit',
  'public.presence.closedAt': 'Offiziell bis',
  'public.presence.verifyHint': 'Ein Account sieht aus wie dieser, hat aber eine andere Adresse? Prüfen Sie ihn:',
  'public.presence.back': 'Zur Übersicht aller Auftritte',

  'public.verify.title': 'Ist dieser Account offiziell?',
  'public.verify.lead':
    'Geben Sie die Adresse eines Social-Media-Accounts ein. Sie erfahren, ob er ein offizieller Auftritt der Landeshauptstadt Hannover ist.',
  'public.verify.label': 'Adresse des Accounts',
  'public.verify.hint':
    'Zum Beispiel https://www.facebook.com/hannover.de. Kopieren Sie die Adresse aus der Adresszeile des Browsers oder über „Link kopieren“ in der App.',
  'public.verify.submit': 'Prüfen',
  'public.verify.resultTitle': 'Ergebnis',
  'public.verify.checked': 'Geprüft wurde der Account {url} ({platform}).',
  'public.verify.official': 'Ja. Dieser Account ist ein offizieller Auftritt der Landeshauptstadt Hannover.',
  'public.verify.formerly':
    'Dieser Account war bis zum {date} ein offizieller Auftritt der Landeshauptstadt Hannover. Heute ist er es nicht mehr.',
  'public.verify.formerlyLink': 'Mehr zum ehemaligen Auftritt „{name}“',
  'public.verify.unknown': 'Dieser Account ist kein offizieller Auftritt der Landeshauptstadt Hannover.',
  'public.verify.unknown.not_registered':
    'Die Stadt hat auf {platform} keinen Auftritt unter dieser Adresse eingetragen. Auch ein ähnlicher Name, das Stadtwappen oder Fotos aus Hannover machen einen Account nicht offiziell.',
  'public.verify.unknown.host_not_allowed':
    'Die Adresse gehört zu keiner Plattform, auf der die Stadt Auftritte betreibt. Vorsicht bei Adressen, die bekannten Plattformen nur ähneln, zum Beispiel „faceb00k.com“ oder „facebook.com.example.org“.',
  'public.verify.unknown.not_an_account':
    'Die Adresse führt zu {platform}, aber nicht zu einem Account, sondern zum Beispiel zu einer Suche, Gruppe oder Veranstaltung. Geben Sie die Adresse der Seite oder des Profils ein.',
  'public.verify.allPresences': 'Alle offiziellen Auftritte finden Sie in der Übersicht.',
  'public.verify.titleOfficial': 'Offiziell: {name} auf {platform}',
  'public.verify.titleFormerly': 'Nicht mehr offiziell: {name} auf {platform}',
  'public.verify.titleUnknown': 'Nicht im Register: {address}',
  'public.verify.titleUnresolvable': 'Nicht prüfbar: {address}',
  'public.verify.again': 'Eine andere Adresse prüfen',
  'public.verify.unresolvable': 'Diese Adresse können wir nicht prüfen.',
  'public.verify.unresolvable.text':
    'Das ist ein Link zu {platform}, aus dem sich nicht ablesen lässt, zu welchem Account er gehört – etwa ein Link aus „Link kopieren“ oder „Teilen“, ein Beitrag oder ein Video. Ob der Account offiziell ist, können Sie mit seiner Adresse prüfen. So finden Sie sie:',
  'public.verify.unresolvable.web':
    'Im Browser: Öffnen Sie den Link und klicken oder tippen Sie auf den Namen der Seite oder des Profils. Kopieren Sie dann die Adresse aus der Adresszeile des Browsers und geben Sie sie hier ein.',
  'public.verify.unresolvable.app':
    'In der App: Tippen Sie auf den Namen der Seite oder des Profils. Dort steht der Benutzername (oft mit @ davor). Geben Sie die Plattform mit diesem Namen ein, zum Beispiel facebook.com/hannover.de.',
  'public.verify.unresolvable.search':
    'Oder suchen Sie den Namen des Accounts in der Übersicht aller offiziellen Auftritte.',
  'public.verify.next.title': 'Was Sie jetzt tun können',
  'public.verify.next.distrust':
    'Verlassen Sie sich nicht auf Angaben dieses Accounts. Geben Sie ihm keine persönlichen Daten und folgen Sie keinen Links zu Zahlungen.',
  'public.verify.next.compare':
    'Vergleichen Sie die Adresse mit den Adressen in der Übersicht aller offiziellen Auftritte.',
  'public.verify.next.report':
    'Gibt sich der Account als Landeshauptstadt Hannover aus? Bitte melden Sie ihn – {unit}:',
  'public.verify.error.empty': 'Geben Sie die Adresse des Accounts ein.',
  'public.verify.error.too_long': 'Die Adresse ist zu lang. Geben Sie höchstens {max} Zeichen ein.',
  'public.verify.error.not_a_url':
    'Das ist keine Internetadresse. Geben Sie eine Adresse wie https://www.facebook.com/hannover.de ein.',
  'public.verify.error.unsupported_scheme':
    'Geprüft werden nur Internetadressen, die mit https:// oder http:// beginnen.',
  'public.verify.error.repeated': 'Die Anfrage enthält mehrere Adressen. Geben Sie genau eine Adresse ein.',

  'public.embed.asOf': 'Stand: {date}',
  'public.embed.more': 'Alle Auftritte im Social-Media-Register',
  'public.embed.invalid': 'Diese Auswahl gibt es im Social-Media-Register nicht.',

  'public.feed.title': 'Neue Social-Media-Auftritte der Landeshauptstadt Hannover',
  'public.feed.subtitle': 'Die zuletzt veröffentlichten offiziellen Auftritte aus dem Social-Media-Register.',
  'public.feed.meta': 'Plattform: {platform}. Organisationseinheit: {unit}.',

  'public.alt.atom': 'Neue Auftritte (Atom-Feed)',
  'public.alt.json': 'Alle Auftritte (JSON)',

  'public.overview.dataDcat': 'Katalog für Open-Data-Portale (DCAT-AP.de, Turtle)',
  'public.overview.dataDcatJsonld': 'Derselbe Katalog als JSON-LD',
  'public.dcat.catalogTitle': 'Social-Media-Register der Landeshauptstadt Hannover',
  'public.dcat.catalogDescription':
    'Katalog der offenen Daten des Social-Media-Registers: welche Auftritte in sozialen Medien offiziell zur Landeshauptstadt Hannover gehören.',
  'public.dcat.datasetTitle': 'Social-Media-Auftritte der Landeshauptstadt Hannover',
  'public.dcat.datasetDescription':
    'Alle offiziellen Auftritte der Landeshauptstadt Hannover in sozialen Medien (zum Beispiel Facebook, Instagram, Mastodon, YouTube) mit Name, Adresse, Plattform, zuständiger Organisationseinheit, Beschreibung und Datum der Veröffentlichung. Der Bestand ändert sich, sobald ein Auftritt veröffentlicht oder geschlossen wird.',
  'public.dcat.keywords': 'Social Media|Soziale Medien|Öffentlichkeitsarbeit|Verwaltung|Hannover',
  'public.dcat.jsonTitle': 'Alle Auftritte (JSON)',
  'public.dcat.jsonDescription':
    'Alle aktiven Auftritte als JSON-Datei; Felder in docs/open-data.md und in der OpenAPI-Beschreibung.',
  'public.dcat.csvTitle': 'Alle Auftritte (CSV)',
  'public.dcat.csvDescription':
    'Alle aktiven Auftritte als CSV-Datei (UTF-8, Komma, Kopfzeile) für Tabellenkalkulationen.',
  'public.dcat.atomTitle': 'Neue Auftritte (Atom-Feed)',
  'public.dcat.atomDescription': 'Die zuletzt veröffentlichten Auftritte als Atom-Feed.',
  'public.dcat.apiTitle': 'Schnittstelle des Social-Media-Registers',
  'public.dcat.apiDescription':
    'Lesende HTTP-Schnittstelle (offene Daten und Prüfung „Ist dieser Account offiziell?“), beschrieben mit OpenAPI.',
} as const;

declare module '../i18n/keys' {
  // the feature registers its keys (see src/i18n/keys.ts)
  interface MessageRegistry extends Keys<typeof de> {}
}

export const en: Catalogue<typeof de> = {
  'public.overview.searchTitle': 'Search presences',
  'public.overview.q': 'Search term',
  'public.overview.qHint':
    'The entries are in German, for example "Museum", "Bibliothek" (library) or "Feuerwehr" (fire brigade).',
  'public.overview.platform': 'Platform',
  'public.overview.platformAll': 'All platforms',
  'public.overview.unit': 'Organisational unit',
  'public.overview.unitHint': 'Including all units below it.',
  'public.overview.unitAll': 'All organisational units',
  'public.overview.submit': 'Search',
  'public.overview.reset': 'Clear search and filters',
  'public.overview.changeSearch': 'Change the search',
  'public.overview.allTitle': 'All presences',
  'public.overview.resultsTitle': 'Search results',
  'public.overview.centralTitle': 'Central presence of the city and the region',
  'public.overview.noUnit': 'No organisational unit',
  'public.overview.continued': '(continued)',
  'public.overview.countOne': 'One official presence.',
  'public.overview.countMany': '{count} official presences.',
  'public.overview.foundOne': 'One presence found.',
  'public.overview.foundMany': '{count} presences found.',
  'public.overview.range': 'Showing {from} to {to} (page {page} of {pages}).',
  'public.overview.empty': 'No presences found.',
  'public.overview.emptyHint': 'Try another search term or another selection.',
  'public.overview.emptyRegister': 'No presences have been registered yet.',
  'public.overview.firstPage': 'Go to the first page of the overview',
  'public.overview.aboutTitle': 'About this register',
  'public.overview.dataTitle': 'Open data',
  'public.overview.dataCsv': 'All presences as a CSV file (for spreadsheets)',
  'public.overview.dataJson': 'All presences as a JSON file',
  'public.overview.dataAtom': 'New presences as an Atom feed (news feed)',
  'public.overview.dataApi': 'Description of the interface (OpenAPI)',

  'public.pagination.label': 'Pages of the overview',
  'public.pagination.previous': 'Previous page',
  'public.pagination.next': 'Next page',
  'public.pagination.pageWord': 'Page',
  'public.pagination.pageOf': 'page {page} of {pages}',

  'public.error.repeated': 'This may appear only once in the address.',
  'public.error.qTooLong': 'The search term may be at most {max} characters long.',
  'public.error.platformUnknown': 'There is no such platform in the register. Choose a platform from the list.',
  'public.error.unitUnknown': 'There is no such organisational unit in the register. Choose one from the list.',
  'public.error.pageInvalid': 'The page number must be a whole number from 1.',
  'public.error.pageTooHigh': 'There is no page {page}: the overview has {pages} page(s).',

  'public.card.unit': 'Organisational unit',
  'public.card.lastConfirmed': 'Last confirmed',
  'public.card.notConfirmed': 'Not confirmed yet',
  'public.card.external': '{name} on {platform}',
  'public.card.externalNote': "external link: you are leaving the City of Hannover's website",
  'public.card.hannoverDe': "The unit's page on Hannover.de",
  'public.card.address': 'Address',

  'public.presence.official': 'Official presence of the City of Hannover',
  'public.presence.formerly': 'Formerly official presence – official until {date}',
  'public.presence.formerlyUndated': 'Formerly official presence',
  'public.presence.formerlyText':
    'The City of Hannover no longer runs this account. What is published there now is not information from the city.',
  'public.presence.account': 'Account',
  'public.presence.platform': 'Platform',
  'public.presence.hannoverDe': 'Hannover.de',
  'public.presence.publishedAt': 'Official since',
  'public.presence.closedAt': 'Official until',
  'public.presence.verifyHint': 'An account looks like this one but has a different address? Check it:',
  'public.presence.back': 'Back to all presences',

  'public.verify.title': 'Is this account official?',
  'public.verify.lead':
    'Enter the address of a social-media account to find out whether it is an official presence of the City of Hannover.',
  'public.verify.label': 'Address of the account',
  'public.verify.hint':
    'For example https://www.facebook.com/hannover.de. Copy the address from the browser\'s address bar or with "Copy link" in the app.',
  'public.verify.submit': 'Check',
  'public.verify.resultTitle': 'Result',
  'public.verify.checked': 'Checked account: {url} ({platform}).',
  'public.verify.official': 'Yes. This account is an official presence of the City of Hannover.',
  'public.verify.formerly':
    'This account was an official presence of the City of Hannover until {date}. It no longer is.',
  'public.verify.formerlyLink': 'More about the former presence "{name}"',
  'public.verify.unknown': 'This account is not an official presence of the City of Hannover.',
  'public.verify.unknown.not_registered':
    "The city has registered no presence on {platform} at this address. A similar name, the city's coat of arms or photos of Hannover do not make an account official.",
  'public.verify.unknown.host_not_allowed':
    'The address belongs to none of the platforms the city uses. Beware of addresses that only look like well-known platforms, for example "faceb00k.com" or "facebook.com.example.org".',
  'public.verify.unknown.not_an_account':
    'The address leads to {platform}, but not to an account – for example to a search, a group or an event. Enter the address of the page or profile.',
  'public.verify.allPresences': 'All official presences are listed in the overview.',
  'public.verify.titleOfficial': 'Official: {name} on {platform}',
  'public.verify.titleFormerly': 'No longer official: {name} on {platform}',
  'public.verify.titleUnknown': 'Not in the register: {address}',
  'public.verify.titleUnresolvable': 'Cannot be checked: {address}',
  'public.verify.again': 'Check another address',
  'public.verify.unresolvable': 'We cannot check this address.',
  'public.verify.unresolvable.text':
    'This is a link to {platform} that does not show which account it belongs to – for example a link from "Copy link" or "Share", a post or a video. You can check whether the account is official with its address. This is how you find it:',
  'public.verify.unresolvable.web':
    "In a browser: open the link and click or tap the name of the page or profile. Then copy the address from the browser's address bar and enter it here.",
  'public.verify.unresolvable.app':
    'In the app: tap the name of the page or profile. It shows the user name (often with an @ in front). Enter the platform with this name, for example facebook.com/hannover.de.',
  'public.verify.unresolvable.search':
    'Or search for the name of the account in the overview of all official presences.',
  'public.verify.next.title': 'What you can do now',
  'public.verify.next.distrust':
    'Do not rely on what this account says. Do not give it any personal data and do not follow links to payments.',
  'public.verify.next.compare': 'Compare the address with the addresses in the overview of all official presences.',
  'public.verify.next.report': 'Does the account pretend to be the City of Hannover? Please report it – {unit}:',
  'public.verify.error.empty': 'Enter the address of the account.',
  'public.verify.error.too_long': 'The address is too long. Enter at most {max} characters.',
  'public.verify.error.not_a_url':
    'This is not a web address. Enter an address such as https://www.facebook.com/hannover.de.',
  'public.verify.error.unsupported_scheme': 'Only web addresses starting with https:// or http:// can be checked.',
  'public.verify.error.repeated': 'The request contains several addresses. Enter exactly one address.',

  'public.embed.asOf': 'As of {date}',
  'public.embed.more': 'All presences in the Social Media Register',
  'public.embed.invalid': 'This selection does not exist in the Social Media Register.',

  'public.feed.title': 'New social-media presences of the City of Hannover',
  'public.feed.subtitle': 'The most recently published official presences from the Social Media Register.',
  'public.feed.meta': 'Platform: {platform}. Organisational unit: {unit}.',

  'public.alt.atom': 'New presences (Atom feed)',
  'public.alt.json': 'All presences (JSON)',

  'public.overview.dataDcat': 'Catalogue for open-data portals (DCAT-AP.de, Turtle)',
  'public.overview.dataDcatJsonld': 'The same catalogue as JSON-LD',
  'public.dcat.catalogTitle': 'Social Media Register of the City of Hannover',
  'public.dcat.catalogDescription':
    'Catalogue of the open data of the Social Media Register: which social-media presences officially belong to the City of Hannover.',
  'public.dcat.datasetTitle': 'Social-media presences of the City of Hannover',
  'public.dcat.datasetDescription':
    'All official presences of the City of Hannover on social media (for example Facebook, Instagram, Mastodon, YouTube) with name, address, platform, responsible organisational unit, description and date of publication. The data change whenever a presence is published or closed.',
  'public.dcat.keywords': 'social media|public relations|public administration|Hanover',
  'public.dcat.jsonTitle': 'All presences (JSON)',
  'public.dcat.jsonDescription':
    'All active presences as a JSON file; fields in docs/open-data.md and in the OpenAPI description.',
  'public.dcat.csvTitle': 'All presences (CSV)',
  'public.dcat.csvDescription': 'All active presences as a CSV file (UTF-8, comma, header row) for spreadsheets.',
  'public.dcat.atomTitle': 'New presences (Atom feed)',
  'public.dcat.atomDescription': 'The most recently published presences as an Atom feed.',
  'public.dcat.apiTitle': 'Interface of the Social Media Register',
  'public.dcat.apiDescription':
    'Read-only HTTP interface (open data and the check "Is this account official?"), described with OpenAPI.',
};
