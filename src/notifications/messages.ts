import type { Catalogue, Keys } from '../i18n/keys';

/**
 * Texts of the notifications feature; keys start with "notifications.".
 * `notifications.mail.*` are the e-mail templates (plain text, formal "Sie"); their
 * {placeholders} are declared per template in templates.ts, which refuses to render a
 * mail with a missing value. The rest is the administrators' outbox page.
 */
export const de = {
  'notifications.mail.greeting': 'Guten Tag {name},',
  'notifications.mail.greetingAnonymous': 'Guten Tag,',
  'notifications.mail.footer':
    '-- \nDies ist eine automatisch versandte Nachricht des Social-Media-Registers der Landeshauptstadt Hannover. Bitte antworten Sie nicht auf diese E-Mail.\nDen Vorgang finden Sie im Social-Media-Register unter:\n{url}',

  'notifications.mail.step_waiting.subject': 'Bitte entscheiden: {stepName} – {requestTitle}',
  'notifications.mail.step_waiting.body':
    'zum Antrag „{requestTitle}“ wartet der Schritt „{stepName}“ auf Ihre Entscheidung.\n\nSie können den Antrag freigeben, zur Überarbeitung zurückgeben oder ablehnen:\n{url}',

  'notifications.mail.returned.subject': 'Antrag zur Überarbeitung zurückgegeben: {requestTitle}',
  'notifications.mail.returned.body':
    '{actorName} hat Ihren Antrag „{requestTitle}“ im Schritt „{stepName}“ zur Überarbeitung an Sie zurückgegeben.\n\nBegründung:\n{comment}\n\nBitte überarbeiten Sie den Antrag und reichen Sie ihn erneut ein. Er geht danach wieder an den Schritt „{stepName}“:\n{url}',

  'notifications.mail.rejected.subject': 'Antrag abgelehnt: {requestTitle}',
  'notifications.mail.rejected.body':
    '{actorName} hat Ihren Antrag „{requestTitle}“ im Schritt „{stepName}“ abgelehnt. Diese Entscheidung ist endgültig.\n\nBegründung:\n{reason}\n\nDen Antrag und seinen Verlauf finden Sie hier:\n{url}',

  'notifications.mail.approved.subject': 'Schritt freigegeben: {stepName} – {requestTitle}',
  'notifications.mail.approved.body':
    '{actorName} hat Ihren Antrag „{requestTitle}“ im Schritt „{stepName}“ freigegeben.\n\nDen aktuellen Stand sehen Sie hier:\n{url}',

  'notifications.mail.published.subject': 'Veröffentlicht: {presenceName}',
  'notifications.mail.published.body':
    'der Auftritt „{presenceName}“ (Antrag „{requestTitle}“) ist freigegeben und steht jetzt in der öffentlichen Übersicht der offiziellen Social-Media-Auftritte der Landeshauptstadt Hannover:\n{publicUrl}\n\nSie erhalten diese Nachricht als Antragsteller*in oder als Redakteur*in des Auftritts. Das Redaktionsteam bleibt für den Auftritt verantwortlich; vor dem Prüftermin erinnert Sie das Register an die jährliche Bestätigung.\n\nDen Antrag finden Sie hier:\n{url}',

  'notifications.mail.reminder.subject': 'Erinnerung: {stepName} – {requestTitle} wartet auf Ihre Entscheidung',
  'notifications.mail.reminder.body':
    'der Antrag „{requestTitle}“ wartet seit {waitingSince} im Schritt „{stepName}“ auf eine Entscheidung. Die vorgesehene Bearbeitungsfrist ist überschritten.\n\nBitte entscheiden Sie über den Antrag oder stimmen Sie sich mit Ihrer Vertretung ab:\n{url}',

  'notifications.mail.escalation.subject': 'Frist überschritten: {stepName} – {requestTitle}',
  'notifications.mail.escalation.body':
    'der Antrag „{requestTitle}“ wartet seit {waitingSince} im Schritt „{stepName}“ auf eine Entscheidung, auch nach einer Erinnerung an die zuständigen Personen. Sie erhalten diese Nachricht, weil Sie für diesen Schritt als Rückfallgruppe eingetragen sind.\n\nBitte sorgen Sie dafür, dass über den Antrag entschieden wird:\n{url}',

  'notifications.mail.staff_council_notice.subject':
    'Information an den Personalrat: neuer Social-Media-Auftritt – {requestTitle}',
  'notifications.mail.staff_council_notice.body':
    'zur Information nach der Dienstvereinbarung zur dienstlichen Nutzung von Social-Media-Angeboten: Die Organisationseinheit „{unitName}“ beantragt einen Auftritt auf {platformName} („{requestTitle}“). Der Antrag geht jetzt in die abschließende Prüfung durch die Redaktion Hannover.de.\n\nSie können den Antrag im Social-Media-Register einsehen:\n{url}',

  'notifications.mail.editor_confirmation_needed.subject':
    'Bitte bestätigen: Richtlinien und Dienstvereinbarung – {requestTitle}',
  'notifications.mail.editor_confirmation_needed.body':
    '{authorName} hat Sie als Redakteur*in für den Social-Media-Auftritt „{requestTitle}“ benannt.\n\nBevor der Antrag freigegeben werden kann, bestätigen Sie bitte im Social-Media-Register, dass Sie die Social-Media-Richtlinien der Landeshauptstadt Hannover und die Dienstvereinbarung zur dienstlichen Nutzung von Social-Media-Angeboten kennen und einhalten:\n{url}',

  'notifications.mail.withdrawn.subject': 'Antrag zurückgezogen: {requestTitle}',
  'notifications.mail.withdrawn.body':
    '{actorName} hat den Antrag „{requestTitle}“ zurückgezogen. Ihre Aufgabe zu diesem Antrag ist damit entfallen; Sie müssen nichts mehr tun.\n\nDen Verlauf finden Sie hier:\n{url}',

  'notifications.mail.task_cancelled.subject': 'Aufgabe entfallen: {stepName} – {requestTitle}',
  'notifications.mail.task_cancelled.body':
    'Ihre Aufgabe im Schritt „{stepName}“ zum Antrag „{requestTitle}“ ist entfallen, zum Beispiel weil der Antrag in einem anderen Schritt zurückgegeben wurde oder bereits jemand anderes entschieden hat. Sie müssen nichts mehr tun.\n\nDen aktuellen Stand finden Sie hier:\n{url}',

  'notifications.mail.review_due.subject': 'Jährliche Bestätigung fällig: {presenceName}',
  'notifications.mail.review_due.body':
    'der Social-Media-Auftritt „{presenceName}“ ist bis zum {reviewDue} zu bestätigen. Bitte bestätigen Sie als Redakteur*in im Social-Media-Register, dass der Auftritt aktiv betreut wird und weiterhin der Dienstanweisung, dem Nutzungskonzept und der Dienstvereinbarung entspricht – oder beantragen Sie eine Änderung oder die Schließung:\n{url}',

  'notifications.mail.review_overdue.subject': 'Bestätigung überfällig: {presenceName}',
  'notifications.mail.review_overdue.body':
    'für den Social-Media-Auftritt „{presenceName}“ ist die jährliche Bestätigung durch das Redaktionsteam seit dem {reviewDue} überfällig. Der Auftritt ist intern als überfällig markiert. Sie erhalten diese Nachricht als zuständige Stelle der Kommunikation.\n\nBitte klären Sie mit der Organisationseinheit, ob der Auftritt weiter betreut wird:\n{url}',

  'notifications.mail.editor_missing.subject': 'Redakteur*in ausgeschieden: {presenceName}',
  'notifications.mail.editor_missing.body':
    'für den Social-Media-Auftritt „{presenceName}“ sind nicht mehr genug Redakteur*innen im Verzeichnis der Stadtverwaltung zu finden (nicht mehr vorhanden: {editors}). Jeder Auftritt braucht mindestens zwei Redakteur*innen, damit immer eine Vertretung da ist.\n\nBitte benennen Sie als Leitung der Organisationseinheit eine Nachfolge:\n{url}',

  'notifications.mail.report_digest.subject': 'Neue Meldungen zu Fake-Accounts: {count}',
  'notifications.mail.report_digest.body':
    'Bürger*innen haben Accounts gemeldet, die sich als Landeshauptstadt Hannover ausgeben könnten. Neue oder erneut gemeldete Fälle ({count}, in Klammern die Zahl der Meldungen):\n{cases}\n\nBitte prüfen Sie die Fälle als Pressestelle und entscheiden Sie, ob es sich um Fake-Accounts handelt:\n{url}',

  'notifications.outbox.title': 'Postausgang',
  'notifications.outbox.lead':
    'Alle E-Mails, die das Social-Media-Register verschickt oder verschicken wird. Nachrichten, die auch nach mehreren Versuchen nicht zugestellt werden konnten, können Sie hier erneut senden.',
  'notifications.outbox.filter': 'Nachrichten filtern',
  'notifications.outbox.filterStatus': 'Status',
  'notifications.outbox.filterAll': 'Alle',
  'notifications.outbox.filterSubmit': 'Anzeigen',
  'notifications.outbox.caption': 'Nachrichten im Postausgang',
  'notifications.outbox.captionFiltered': 'Nachrichten im Postausgang mit Status „{status}“',
  'notifications.outbox.count': '{total} Nachrichten, Seite {page} von {pages}',
  'notifications.outbox.empty': 'Keine Nachrichten gefunden.',
  'notifications.outbox.col.recipient': 'Empfänger*in',
  'notifications.outbox.toRole': 'an Rolle {role}',
  'notifications.outbox.toRoleHint':
    'Beim Versand geht je eine Nachricht an jedes Mitglied der Verzeichnisgruppe (und an das Funktionspostfach, falls eingerichtet).',
  'notifications.outbox.col.subject': 'Betreff und Text',
  'notifications.outbox.col.template': 'Vorlage',
  'notifications.outbox.col.status': 'Status',
  'notifications.outbox.col.attempts': 'Versuche',
  'notifications.outbox.col.lastError': 'Letzter Fehler',
  'notifications.outbox.col.created': 'Erstellt',
  'notifications.outbox.col.sent': 'Versendet',
  'notifications.outbox.col.action': 'Aktion',
  'notifications.outbox.showBody': 'Text der Nachricht',
  'notifications.outbox.messageNo': 'Nachricht Nr. {id}',
  'notifications.outbox.nextAttempt': 'Nächster Versuch:',
  'notifications.outbox.none': '–',
  'notifications.outbox.retry': 'Erneut senden',
  'notifications.outbox.retried': 'Nachricht Nr. {id} wird erneut versendet.',
  'notifications.outbox.pagination': 'Seiten',
  'notifications.outbox.previous': 'Vorherige Seite',
  'notifications.outbox.next': 'Nächste Seite',

  'notifications.status.pending': 'Ausstehend',
  'notifications.status.sent': 'Versendet',
  'notifications.status.failed': 'Fehlgeschlagen',

  'notifications.template.step_waiting': 'Entscheidung erbeten',
  'notifications.template.returned': 'Zur Überarbeitung zurückgegeben',
  'notifications.template.rejected': 'Abgelehnt',
  'notifications.template.approved': 'Schritt freigegeben',
  'notifications.template.published': 'Veröffentlicht',
  'notifications.template.reminder': 'Erinnerung',
  'notifications.template.escalation': 'Eskalation',
  'notifications.template.staff_council_notice': 'Information Personalrat',
  'notifications.template.editor_confirmation_needed': 'Bestätigung durch Redakteur*in',
  'notifications.template.withdrawn': 'Antrag zurückgezogen',
  'notifications.template.task_cancelled': 'Aufgabe entfallen',
  'notifications.template.review_due': 'Jährliche Bestätigung',
  'notifications.template.review_overdue': 'Bestätigung überfällig',
  'notifications.template.editor_missing': 'Redakteur*in ausgeschieden',
  'notifications.template.report_digest': 'Meldungen zu Fake-Accounts',
} as const;

declare module '../i18n/keys' {
  // the feature registers its keys (see src/i18n/keys.ts)
  interface MessageRegistry extends Keys<typeof de> {}
}

export const en: Catalogue<typeof de> = {
  'notifications.mail.greeting': 'Dear {name},',
  'notifications.mail.greetingAnonymous': 'Hello,',
  'notifications.mail.footer':
    '-- \nThis is an automatic message from the Social-Media-Register of the City of Hannover. Please do not reply to this e-mail.\nYou will find the matter in the Social-Media-Register at:\n{url}',

  'notifications.mail.step_waiting.subject': 'Decision needed: {stepName} – {requestTitle}',
  'notifications.mail.step_waiting.body':
    'the step “{stepName}” of the request “{requestTitle}” is waiting for your decision.\n\nYou can approve the request, return it for changes or reject it:\n{url}',

  'notifications.mail.returned.subject': 'Request returned for changes: {requestTitle}',
  'notifications.mail.returned.body':
    '{actorName} has returned your request “{requestTitle}” to you for changes at the step “{stepName}”.\n\nReason:\n{comment}\n\nPlease revise the request and submit it again. It will then go back to the step “{stepName}”:\n{url}',

  'notifications.mail.rejected.subject': 'Request rejected: {requestTitle}',
  'notifications.mail.rejected.body':
    '{actorName} has rejected your request “{requestTitle}” at the step “{stepName}”. This decision is final.\n\nReason:\n{reason}\n\nYou will find the request and its history here:\n{url}',

  'notifications.mail.approved.subject': 'Step approved: {stepName} – {requestTitle}',
  'notifications.mail.approved.body':
    '{actorName} has approved your request “{requestTitle}” at the step “{stepName}”.\n\nYou can see the current status here:\n{url}',

  'notifications.mail.published.subject': 'Published: {presenceName}',
  'notifications.mail.published.body':
    'the presence “{presenceName}” (request “{requestTitle}”) has been approved and is now listed in the public overview of the official social-media presences of the City of Hannover:\n{publicUrl}\n\nYou receive this message as the applicant or as an editor of the presence. The editorial team remains responsible for the presence; before the review date the register will remind you of the annual confirmation.\n\nYou will find the request here:\n{url}',

  'notifications.mail.reminder.subject': 'Reminder: {stepName} – {requestTitle} is waiting for your decision',
  'notifications.mail.reminder.body':
    'the request “{requestTitle}” has been waiting for a decision at the step “{stepName}” since {waitingSince}. The intended processing time has been exceeded.\n\nPlease decide on the request or agree on it with your deputy:\n{url}',

  'notifications.mail.escalation.subject': 'Deadline exceeded: {stepName} – {requestTitle}',
  'notifications.mail.escalation.body':
    'the request “{requestTitle}” has been waiting for a decision at the step “{stepName}” since {waitingSince}, even after a reminder to the people responsible. You receive this message because you are the fallback group for this step.\n\nPlease make sure that the request is decided:\n{url}',

  'notifications.mail.staff_council_notice.subject':
    'Information for the staff council: new social-media presence – {requestTitle}',
  'notifications.mail.staff_council_notice.body':
    'for your information under the service agreement on the official use of social media: the organisational unit “{unitName}” is requesting a presence on {platformName} (“{requestTitle}”). The request now goes to its final review by the Hannover.de editorial team.\n\nYou can view the request in the Social-Media-Register:\n{url}',

  'notifications.mail.editor_confirmation_needed.subject':
    'Please confirm: guidelines and service agreement – {requestTitle}',
  'notifications.mail.editor_confirmation_needed.body':
    '{authorName} has named you as an editor of the social-media presence “{requestTitle}”.\n\nBefore the request can be approved, please confirm in the Social-Media-Register that you know and follow the social-media guidelines of the City of Hannover and the service agreement on the official use of social media:\n{url}',

  'notifications.mail.withdrawn.subject': 'Request withdrawn: {requestTitle}',
  'notifications.mail.withdrawn.body':
    '{actorName} has withdrawn the request “{requestTitle}”. Your task for this request has therefore been cancelled; you do not need to do anything.\n\nYou will find the history here:\n{url}',

  'notifications.mail.task_cancelled.subject': 'Task cancelled: {stepName} – {requestTitle}',
  'notifications.mail.task_cancelled.body':
    'your task at the step “{stepName}” of the request “{requestTitle}” has been cancelled, for example because the request was returned at another step or somebody else has already decided. You do not need to do anything.\n\nYou can see the current status here:\n{url}',

  'notifications.mail.review_due.subject': 'Annual confirmation due: {presenceName}',
  'notifications.mail.review_due.body':
    'the social-media presence “{presenceName}” is due for confirmation by {reviewDue}. As an editor, please confirm in the Social-Media-Register that the presence is actively looked after and still complies with the service directive, the usage concept and the service agreement – or request a change or its closure:\n{url}',

  'notifications.mail.review_overdue.subject': 'Confirmation overdue: {presenceName}',
  'notifications.mail.review_overdue.body':
    'the annual confirmation of the social-media presence “{presenceName}” by its editorial team has been overdue since {reviewDue}. The presence is marked as overdue internally. You receive this message as the responsible communications office.\n\nPlease clarify with the organisational unit whether the presence is still being looked after:\n{url}',

  'notifications.mail.editor_missing.subject': 'Editor has left: {presenceName}',
  'notifications.mail.editor_missing.body':
    'not enough editors of the social-media presence “{presenceName}” can still be found in the city’s directory (no longer present: {editors}). Every presence needs at least two editors so that there is always a deputy.\n\nAs head of the organisational unit, please name a successor:\n{url}',

  'notifications.mail.report_digest.subject': 'New reports of fake accounts: {count}',
  'notifications.mail.report_digest.body':
    'Citizens have reported accounts that may pretend to be the City of Hannover. New or again reported cases ({count}, the number of reports in brackets):\n{cases}\n\nAs the press office, please check the cases and decide whether they are fake accounts:\n{url}',

  'notifications.outbox.title': 'Outbox',
  'notifications.outbox.lead':
    'Every e-mail the Social-Media-Register has sent or is going to send. Messages that could not be delivered even after several attempts can be sent again here.',
  'notifications.outbox.filter': 'Filter messages',
  'notifications.outbox.filterStatus': 'Status',
  'notifications.outbox.filterAll': 'All',
  'notifications.outbox.filterSubmit': 'Show',
  'notifications.outbox.caption': 'Messages in the outbox',
  'notifications.outbox.captionFiltered': 'Messages in the outbox with status “{status}”',
  'notifications.outbox.count': '{total} messages, page {page} of {pages}',
  'notifications.outbox.empty': 'No messages found.',
  'notifications.outbox.col.recipient': 'Recipient',
  'notifications.outbox.toRole': 'to role {role}',
  'notifications.outbox.toRoleHint':
    'On delivery, one message goes to each member of the directory group (and to the functional mailbox, if one is set up).',
  'notifications.outbox.col.subject': 'Subject and text',
  'notifications.outbox.col.template': 'Template',
  'notifications.outbox.col.status': 'Status',
  'notifications.outbox.col.attempts': 'Attempts',
  'notifications.outbox.col.lastError': 'Last error',
  'notifications.outbox.col.created': 'Created',
  'notifications.outbox.col.sent': 'Sent',
  'notifications.outbox.col.action': 'Action',
  'notifications.outbox.showBody': 'Text of the message',
  'notifications.outbox.messageNo': 'Message no. {id}',
  'notifications.outbox.nextAttempt': 'Next attempt:',
  'notifications.outbox.none': '–',
  'notifications.outbox.retry': 'Send again',
  'notifications.outbox.retried': 'Message no. {id} will be sent again.',
  'notifications.outbox.pagination': 'Pages',
  'notifications.outbox.previous': 'Previous page',
  'notifications.outbox.next': 'Next page',

  'notifications.status.pending': 'Pending',
  'notifications.status.sent': 'Sent',
  'notifications.status.failed': 'Failed',

  'notifications.template.step_waiting': 'Decision needed',
  'notifications.template.returned': 'Returned for changes',
  'notifications.template.rejected': 'Rejected',
  'notifications.template.approved': 'Step approved',
  'notifications.template.published': 'Published',
  'notifications.template.reminder': 'Reminder',
  'notifications.template.escalation': 'Escalation',
  'notifications.template.staff_council_notice': 'Staff council information',
  'notifications.template.editor_confirmation_needed': 'Editor confirmation',
  'notifications.template.withdrawn': 'Request withdrawn',
  'notifications.template.task_cancelled': 'Task cancelled',
  'notifications.template.review_due': 'Annual confirmation',
  'notifications.template.review_overdue': 'Confirmation overdue',
  'notifications.template.editor_missing': 'Editor has left',
  'notifications.template.report_digest': 'Reports of fake accounts',
};
