import type { Catalogue, Keys } from '../i18n/keys';

/** Texts of the fake-account reports (issue 12); keys start with "reports.". */
export const de = {
  // the public check
  'reports.verify.impostor': 'Warnung: bekannter Fake-Account – nicht von der Landeshauptstadt Hannover',
  'reports.verify.impostor.text':
    'Die Pressestelle hat diesen Account am {date} als Fake-Account bestätigt. Folgen Sie ihm nicht, geben Sie dort keine persönlichen Daten preis und antworten Sie nicht auf Nachrichten von ihm.',
  'reports.verify.impostor.reported': 'Die Stadt hat den Account am {date} bei {platform} gemeldet.',
  'reports.verify.impostor.list': 'Alle bekannten Fake-Accounts',
  'reports.verify.titleImpostor': 'Warnung, Fake-Account: {address}',
  'reports.verify.lookalike':
    'Dieser Account ähnelt dem offiziellen Auftritt „{name}“ – er gehört nicht zur Landeshauptstadt Hannover.',
  'reports.verify.lookalikeFormerly':
    'Dieser Account ähnelt dem ehemals offiziellen Auftritt „{name}“ – er gehört nicht zur Landeshauptstadt Hannover.',
  'reports.verify.lookalikeLink': 'Der echte Auftritt: {address}',
  'reports.verify.report': 'Account melden',
  'reports.verify.reportHint':
    'Gibt sich dieser Account als Landeshauptstadt Hannover aus? Melden Sie ihn der Pressestelle – ohne Anmeldung, eine E-Mail-Adresse ist freiwillig.',

  // the report form
  'reports.form.title': 'Account melden',
  'reports.form.lead':
    'Sie haben einen Account gefunden, der sich als Landeshauptstadt Hannover ausgibt? Melden Sie ihn der Pressestelle. Meldungen zum selben Account werden zusammengefasst.',
  'reports.form.url': 'Adresse des Accounts',
  'reports.form.urlHint':
    'Zum Beispiel https://www.facebook.com/hannover.de.offiziell – so, wie sie in der Adresszeile steht.',
  'reports.form.message': 'Nachricht',
  'reports.form.messageHint': 'Was ist Ihnen aufgefallen? Höchstens {max} Zeichen.',
  'reports.form.email': 'E-Mail-Adresse für eine Antwort',
  'reports.form.emailHint':
    'Nur wenn Sie eine Antwort möchten. Wir nutzen sie nur für diese Meldung und löschen sie {days} Tage nach Abschluss der Prüfung.',
  'reports.form.optional': 'freiwillig',
  'reports.form.honeypot': 'Bitte lassen Sie dieses Feld leer',
  'reports.form.submit': 'Meldung absenden',
  'reports.form.privacy': 'Was mit Ihren Angaben geschieht, steht in der Datenschutzerklärung.',
  'reports.form.thanks': 'Vielen Dank. Ihre Meldung ist bei der Pressestelle eingegangen.',
  'reports.form.thanksText':
    'Die Pressestelle prüft den Account. Bestätigt sie ihn als Fake-Account, warnt das Register öffentlich vor ihm.',
  'reports.form.again': 'Einen anderen Account prüfen',

  'reports.error.token':
    'Das Formular ist abgelaufen oder kam nicht von dieser Seite. Ihre Angaben sind erhalten: Bitte senden Sie es noch einmal ab.',
  'reports.error.urlEmpty': 'Geben Sie die Adresse des Accounts ein.',
  'reports.error.urlTooLong': 'Die Adresse ist zu lang. Geben Sie höchstens {max} Zeichen ein.',
  'reports.error.url.official':
    'Dieser Account ist ein offizieller Auftritt der Landeshauptstadt Hannover. Es gibt nichts zu melden.',
  'reports.error.url.unresolvable':
    'Diese Adresse nennt keinen Account (ein Teilen-Link). Öffnen Sie den Account und kopieren Sie die Adresse aus der Adresszeile.',
  'reports.error.url.host_not_allowed':
    'Melden können Sie Accounts auf den Plattformen des Registers. Geben Sie die Adresse des Accounts auf der Plattform ein, zum Beispiel https://www.facebook.com/….',
  'reports.error.url.not_an_account':
    'Diese Adresse gehört zur Plattform, aber zu keinem Account. Geben Sie die Adresse der Seite des Accounts ein.',
  'reports.error.url.invalid':
    'Das ist keine Webadresse. Geben Sie die Adresse des Accounts ein, zum Beispiel https://www.facebook.com/….',
  'reports.error.messageTooLong': 'Die Nachricht ist zu lang. Schreiben Sie höchstens {max} Zeichen.',
  'reports.error.emailInvalid': 'Geben Sie eine E-Mail-Adresse wie name@beispiel.de ein oder lassen Sie das Feld leer.',
  'reports.error.honeypot': 'Das Feld „Bitte lassen Sie dieses Feld leer“ muss leer bleiben.',
  'reports.error.limit':
    'Von Ihrem Anschluss kamen in der letzten Stunde zu viele Meldungen. Ihre Angaben sind erhalten: Bitte senden Sie die Meldung in {minutes} Minuten noch einmal.',
  'reports.error.state': 'Wählen Sie einen Stand aus der Liste.',
  'reports.error.dateOnlyImpostor': 'Das Datum der Meldung an die Plattform gibt es nur für bestätigte Fake-Accounts.',
  'reports.error.date': 'Geben Sie das Datum als TT.MM.JJJJ ein, zum Beispiel 03.12.2026.',
  'reports.error.dateFuture': 'Das Datum der Meldung an die Plattform darf nicht in der Zukunft liegen.',
  'reports.error.presenceOnlyOurs': 'Einen Auftritt verknüpfen Sie nur, wenn der Account doch zur Stadt gehört.',
  'reports.error.presence': 'Wählen Sie einen Auftritt dieser Plattform aus der Liste.',
  'reports.error.commentTooLong': 'Der Kommentar ist zu lang. Schreiben Sie höchstens {max} Zeichen.',

  // public warnings
  'reports.warnings.title': 'Bekannte Fake-Accounts',
  'reports.warnings.lead':
    'Diese Accounts geben sich als Landeshauptstadt Hannover aus. Die Pressestelle hat sie geprüft: Sie gehören nicht zur Stadt. Folgen Sie ihnen nicht und geben Sie dort keine persönlichen Daten preis.',
  'reports.warnings.empty': 'Zurzeit sind keine Fake-Accounts bekannt.',
  'reports.warnings.caption': 'Bestätigte Fake-Accounts, die neuesten zuerst',
  'reports.warnings.platform': 'Plattform',
  'reports.warnings.account': 'Account',
  'reports.warnings.since': 'Gewarnt seit',
  'reports.warnings.reportedToPlatform': 'Der Plattform gemeldet',
  'reports.warnings.notYet': 'noch nicht',
  'reports.warnings.json': 'Die Liste als JSON-Datei (offene Daten)',
  'reports.warnings.verify': 'Einen Account prüfen',
  'reports.overview.dataWarnings': 'Bekannte Fake-Accounts als JSON-Datei',
  'reports.feed.title': 'Warnung: Fake-Account {account} auf {platform}',
  'reports.feed.summary':
    'Die Pressestelle hat den Account {url} auf {platform} als Fake-Account bestätigt. Er gehört nicht zur Landeshauptstadt Hannover.',

  // triage for the press office
  'reports.nav': 'Meldungen zu Fake-Accounts',
  'reports.list.title': 'Meldungen zu Fake-Accounts',
  'reports.list.lead':
    'Accounts, die Bürger*innen als mögliche Fake-Accounts gemeldet haben. Die Pressestelle entscheidet; Meldungen zum selben Account sind ein Fall.',
  'reports.list.filter': 'Fälle filtern',
  'reports.list.state': 'Stand',
  'reports.list.all': 'Alle Stände',
  'reports.list.show': 'Anzeigen',
  'reports.list.empty': 'Keine Fälle.',
  'reports.list.caption': 'Fälle, neue zuerst',
  'reports.list.account': 'Account',
  'reports.list.lookalike': 'Ähnelt',
  'reports.list.count': 'Meldungen',
  'reports.list.first': 'Erste Meldung',
  'reports.list.last': 'Letzte Meldung',
  'reports.list.countState': '{state}: {count}',
  'reports.state.new': 'Neu',
  'reports.state.impostor': 'Fake-Account bestätigt',
  'reports.state.ours': 'Gehört doch zur Stadt',
  'reports.state.unrelated': 'Kein Bezug zur Stadt',
  'reports.state.closed': 'Erledigt',
  'reports.case.title': 'Fall {id}: {account}',
  'reports.case.back': 'Zu allen Meldungen',
  'reports.case.details': 'Der Account',
  'reports.case.platform': 'Plattform',
  'reports.case.account': 'Adresse',
  'reports.case.state': 'Stand',
  'reports.case.count': 'Meldungen',
  'reports.case.first': 'Erste Meldung',
  'reports.case.last': 'Letzte Meldung',
  'reports.case.lookalike': 'Ähnelt',
  'reports.case.none': 'keinem Auftritt des Registers',
  'reports.case.warningSince': 'Öffentliche Warnung seit',
  'reports.case.reportedToPlatform': 'Der Plattform gemeldet am',
  'reports.case.presence': 'Verknüpfter Auftritt',
  'reports.case.reports': 'Die Meldungen',
  'reports.case.reportedAt': 'Meldung vom {date}',
  'reports.case.noMessage': 'ohne Nachricht',
  'reports.case.email': 'E-Mail für eine Antwort',
  'reports.case.noEmail': 'keine',
  'reports.case.deleted': 'E-Mail und Adresse gelöscht am {date}',
  'reports.case.decide': 'Entscheidung',
  'reports.case.decideLead':
    'Bestätigen Sie einen Fake-Account, warnt das Register sofort öffentlich vor ihm (Prüfung, Liste der Fake-Accounts, Feed). Jede Änderung steht in der Historie.',
  'reports.case.stateLabel': 'Neuer Stand',
  'reports.case.dateLabel': 'Der Plattform gemeldet am',
  'reports.case.dateHint': 'Nur bei bestätigten Fake-Accounts, freiwillig. Format TT.MM.JJJJ.',
  'reports.case.presenceLabel': 'Auftritt im Register',
  'reports.case.presenceHint': 'Nur wenn der Account doch zur Stadt gehört.',
  'reports.case.startRequest': 'Nicht im Register? Antrag für einen bestehenden Auftritt anlegen',
  'reports.case.comment': 'Kommentar für die Historie',
  'reports.case.submit': 'Entscheidung speichern',
  'reports.case.saved': 'Die Entscheidung ist gespeichert.',
  'reports.case.readOnly': 'Sie können die Meldungen lesen. Entscheiden kann die Pressestelle (Rolle Kommunikation).',
  'reports.case.history': 'Historie',
  'reports.case.historyEmpty': 'Noch keine Einträge.',
  'reports.case.system': 'Bürger*in (ohne Namen)',

  // privacy statement
  'reports.privacy.title': 'Meldungen von Fake-Accounts',
  'reports.privacy.text':
    'Wenn Sie einen Account melden, speichern wir die Adresse des Accounts, Ihre Nachricht, den Zeitpunkt, die IP-Adresse Ihres Anschlusses (zur Abwehr von Missbrauch) und – nur wenn Sie sie angeben – Ihre E-Mail-Adresse für eine Antwort. Die Pressestelle verwendet diese Angaben nur zur Prüfung der Meldung. E-Mail-Adresse und IP-Adresse werden {days} Tage nach Abschluss der Prüfung automatisch gelöscht; die Meldung selbst bleibt ohne sie erhalten. Ein Cookie wird dafür nicht gesetzt.',
} as const;

declare module '../i18n/keys' {
  // the feature registers its keys (see src/i18n/keys.ts)
  interface MessageRegistry extends Keys<typeof de> {}
}

export const en: Catalogue<typeof de> = {
  'reports.verify.impostor': 'Warning: known fake account – not from the City of Hannover',
  'reports.verify.impostor.text':
    'The press office confirmed this account as a fake account on {date}. Do not follow it, do not give it any personal data and do not answer its messages.',
  'reports.verify.impostor.reported': 'The city reported the account to {platform} on {date}.',
  'reports.verify.impostor.list': 'All known fake accounts',
  'reports.verify.titleImpostor': 'Warning, fake account: {address}',
  'reports.verify.lookalike':
    'This account resembles the official presence “{name}” – it does not belong to the City of Hannover.',
  'reports.verify.lookalikeFormerly':
    'This account resembles the formerly official presence “{name}” – it does not belong to the City of Hannover.',
  'reports.verify.lookalikeLink': 'The real presence: {address}',
  'reports.verify.report': 'Report this account',
  'reports.verify.reportHint':
    'Does this account pretend to be the City of Hannover? Report it to the press office – no sign-in, an e-mail address is optional.',

  'reports.form.title': 'Report an account',
  'reports.form.lead':
    'Have you found an account that pretends to be the City of Hannover? Report it to the press office. Reports of the same account are combined.',
  'reports.form.url': 'Address of the account',
  'reports.form.urlHint':
    'For example https://www.facebook.com/hannover.de.official – as it appears in the address bar.',
  'reports.form.message': 'Message',
  'reports.form.messageHint': 'What did you notice? At most {max} characters.',
  'reports.form.email': 'E-mail address for a reply',
  'reports.form.emailHint':
    'Only if you would like a reply. We use it for this report only and delete it {days} days after the check is finished.',
  'reports.form.optional': 'optional',
  'reports.form.honeypot': 'Please leave this field empty',
  'reports.form.submit': 'Send report',
  'reports.form.privacy': 'What happens to your details is explained in the privacy statement.',
  'reports.form.thanks': 'Thank you. The press office has received your report.',
  'reports.form.thanksText':
    'The press office checks the account. If it confirms a fake account, the register warns about it publicly.',
  'reports.form.again': 'Check another account',

  'reports.error.token':
    'The form has expired or did not come from this page. Your entries are kept: please send it again.',
  'reports.error.urlEmpty': 'Enter the address of the account.',
  'reports.error.urlTooLong': 'The address is too long. Enter at most {max} characters.',
  'reports.error.url.official':
    'This account is an official presence of the City of Hannover. There is nothing to report.',
  'reports.error.url.unresolvable':
    'This address names no account (a share link). Open the account and copy the address from the address bar.',
  'reports.error.url.host_not_allowed':
    'You can report accounts on the platforms of the register. Enter the address of the account on the platform, for example https://www.facebook.com/….',
  'reports.error.url.not_an_account':
    'This address belongs to the platform but to no account. Enter the address of the account’s page.',
  'reports.error.url.invalid':
    'This is not a web address. Enter the address of the account, for example https://www.facebook.com/….',
  'reports.error.messageTooLong': 'The message is too long. Write at most {max} characters.',
  'reports.error.emailInvalid': 'Enter an e-mail address such as name@example.org or leave the field empty.',
  'reports.error.honeypot': 'The field “Please leave this field empty” must stay empty.',
  'reports.error.limit':
    'Too many reports came from your connection in the last hour. Your entries are kept: please send the report again in {minutes} minutes.',
  'reports.error.state': 'Choose a state from the list.',
  'reports.error.dateOnlyImpostor': 'The date of the report to the platform exists for confirmed fake accounts only.',
  'reports.error.date': 'Enter the date as DD.MM.YYYY, for example 03.12.2026.',
  'reports.error.dateFuture': 'The date of the report to the platform must not be in the future.',
  'reports.error.presenceOnlyOurs': 'Link a presence only when the account belongs to the city after all.',
  'reports.error.presence': 'Choose a presence of this platform from the list.',
  'reports.error.commentTooLong': 'The comment is too long. Write at most {max} characters.',

  'reports.warnings.title': 'Known fake accounts',
  'reports.warnings.lead':
    'These accounts pretend to be the City of Hannover. The press office has checked them: they do not belong to the city. Do not follow them and do not give them any personal data.',
  'reports.warnings.empty': 'No fake accounts are known at present.',
  'reports.warnings.caption': 'Confirmed fake accounts, newest first',
  'reports.warnings.platform': 'Platform',
  'reports.warnings.account': 'Account',
  'reports.warnings.since': 'Warned since',
  'reports.warnings.reportedToPlatform': 'Reported to the platform',
  'reports.warnings.notYet': 'not yet',
  'reports.warnings.json': 'The list as a JSON file (open data)',
  'reports.warnings.verify': 'Check an account',
  'reports.overview.dataWarnings': 'Known fake accounts as a JSON file',
  'reports.feed.title': 'Warning: fake account {account} on {platform}',
  'reports.feed.summary':
    'The press office has confirmed the account {url} on {platform} as a fake account. It does not belong to the City of Hannover.',

  'reports.nav': 'Reports of fake accounts',
  'reports.list.title': 'Reports of fake accounts',
  'reports.list.lead':
    'Accounts that citizens reported as possible fake accounts. The press office decides; reports of the same account form one case.',
  'reports.list.filter': 'Filter cases',
  'reports.list.state': 'State',
  'reports.list.all': 'All states',
  'reports.list.show': 'Show',
  'reports.list.empty': 'No cases.',
  'reports.list.caption': 'Cases, new ones first',
  'reports.list.account': 'Account',
  'reports.list.lookalike': 'Resembles',
  'reports.list.count': 'Reports',
  'reports.list.first': 'First report',
  'reports.list.last': 'Last report',
  'reports.list.countState': '{state}: {count}',
  'reports.state.new': 'New',
  'reports.state.impostor': 'Fake account confirmed',
  'reports.state.ours': 'Belongs to the city after all',
  'reports.state.unrelated': 'Not related to the city',
  'reports.state.closed': 'Done',
  'reports.case.title': 'Case {id}: {account}',
  'reports.case.back': 'All reports',
  'reports.case.details': 'The account',
  'reports.case.platform': 'Platform',
  'reports.case.account': 'Address',
  'reports.case.state': 'State',
  'reports.case.count': 'Reports',
  'reports.case.first': 'First report',
  'reports.case.last': 'Last report',
  'reports.case.lookalike': 'Resembles',
  'reports.case.none': 'no presence of the register',
  'reports.case.warningSince': 'Public warning since',
  'reports.case.reportedToPlatform': 'Reported to the platform on',
  'reports.case.presence': 'Linked presence',
  'reports.case.reports': 'The reports',
  'reports.case.reportedAt': 'Report of {date}',
  'reports.case.noMessage': 'no message',
  'reports.case.email': 'E-mail for a reply',
  'reports.case.noEmail': 'none',
  'reports.case.deleted': 'E-mail and address deleted on {date}',
  'reports.case.decide': 'Decision',
  'reports.case.decideLead':
    'When you confirm a fake account, the register warns about it publicly at once (the check, the list of fake accounts, the feed). Every change is recorded in the history.',
  'reports.case.stateLabel': 'New state',
  'reports.case.dateLabel': 'Reported to the platform on',
  'reports.case.dateHint': 'Confirmed fake accounts only, optional. Format DD.MM.YYYY.',
  'reports.case.presenceLabel': 'Presence in the register',
  'reports.case.presenceHint': 'Only when the account belongs to the city after all.',
  'reports.case.startRequest': 'Not in the register? Start a request for an existing presence',
  'reports.case.comment': 'Comment for the history',
  'reports.case.submit': 'Save decision',
  'reports.case.saved': 'The decision has been saved.',
  'reports.case.readOnly': 'You can read the reports. The press office (communications role) decides.',
  'reports.case.history': 'History',
  'reports.case.historyEmpty': 'No entries yet.',
  'reports.case.system': 'Citizen (anonymous)',

  'reports.privacy.title': 'Reports of fake accounts',
  'reports.privacy.text':
    'When you report an account, we store the address of the account, your message, the time, the IP address of your connection (to prevent abuse) and – only if you give it – your e-mail address for a reply. The press office uses these details only to check the report. The e-mail address and the IP address are deleted automatically {days} days after the check is finished; the report itself is kept without them. No cookie is set for this.',
};
