import type { Catalogue, Keys } from '../i18n/keys';

/**
 * Texts of the editor's next step: the to-do part of "Meine Aufgaben", the "what happens next"
 * panel, the wait for the editors' confirmation with its reminder, and deleting a draft.
 */
export const de = {
  'requests.todo.title': 'Jetzt zu tun',
  'requests.todo.nothing': 'Zurzeit gibt es für Sie nichts zu tun.',
  'requests.todo.returned': 'Zur Überarbeitung zurückgegeben',
  'requests.todo.returnedBy': 'Zurückgegeben von {name} ({step}) am {date}',
  'requests.todo.returnedComment': 'Kommentar',
  'requests.todo.revise': 'Überarbeiten',
  'requests.todo.confirmIntro':
    'Sie sind als Redakteur*in benannt. Bevor diese Anträge weitergehen können, bestätigen Sie bitte die aktuellen Fassungen der Leitlinien und der Dienstvereinbarung. Eine Bestätigung gilt für alle Ihre Anträge, bis sich einer der Texte ändert.',
  'requests.todo.presences': 'Jährliche Bestätigung fällig',
  'requests.todo.presenceDue': '{name}: Prüftermin {date}',
  'requests.todo.presenceOverdue': 'überfällig',

  'requests.page.awaitingEditors': 'wartet auf die Bestätigung durch {names} seit {date}',
  'requests.page.reminded': 'Die Erinnerung wurde verschickt an: {names}.',
  'requests.page.remindedAlready': 'Heute wurde bereits erinnert. Die nächste Erinnerung ist morgen möglich.',
  'requests.remind.submit': 'An die Bestätigung erinnern',
  'requests.remind.hint':
    'Die Redakteur*innen, die noch nicht bestätigt haben, bekommen eine E-Mail – höchstens eine am Tag.',

  'requests.next.title': 'Wie geht es weiter?',
  'requests.next.one': 'Als Nächstes entscheidet {who}.',
  'requests.next.many': 'Als Nächstes entscheiden gleichzeitig:',
  'requests.next.unitHead': 'die Leitung der Organisationseinheit {unit} ({names})',
  'requests.next.unitHeadNoName': 'die Leitung der Organisationseinheit {unit}',
  'requests.next.role.unit_head': 'die Leitung der Organisationseinheit',
  'requests.next.role.communications': 'das Presse- und Informationsamt',
  'requests.next.role.data_protection': 'der Datenschutz',
  'requests.next.role.hannoverde': 'die Redaktion Hannover.de',
  'requests.next.role.staff_council': 'der Personalrat',
  'requests.next.role.admin': 'die Administration',
  'requests.next.awaiting':
    'Der Schritt „{step}“ beginnt, sobald {names} die Leitlinien und die Dienstvereinbarung bestätigt haben.',
  'requests.next.mail': 'Sie bekommen eine E-Mail, sobald entschieden ist.',

  'requests.confirm.covers':
    'Ihre Bestätigung gilt für alle Anträge, in denen Sie als Redakteur*in benannt sind, bis sich einer der Texte ändert.',
  'requests.confirm.read': 'Bitte lesen Sie vorher die aktuellen Fassungen:',
  'requests.confirm.textLink': '{title} (Fassung {version} vom {date})',

  'requests.decide.publish': 'Freigeben und veröffentlichen',
  'requests.decide.publishHint': 'Mit der Freigabe erscheint der Auftritt sofort auf der öffentlichen Übersicht.',

  'requests.delete.link': 'Entwurf löschen',
  'requests.delete.title': 'Entwurf löschen: {name}',
  'requests.delete.text':
    'Der Entwurf „{name}“ wird mit allen Angaben gelöscht. Das lässt sich nicht rückgängig machen.',
  'requests.delete.submit': 'Entwurf endgültig löschen',
  'requests.delete.cancel': 'Abbrechen, Entwurf behalten',
  'requests.delete.done': 'Der Entwurf wurde gelöscht.',
} as const;

declare module '../i18n/keys' {
  // the feature registers its keys (see src/i18n/keys.ts)
  interface MessageRegistry extends Keys<typeof de> {}
}

export const en: Catalogue<typeof de> = {
  'requests.todo.title': 'To do now',
  'requests.todo.nothing': 'There is nothing for you to do at the moment.',
  'requests.todo.returned': 'Returned to you for changes',
  'requests.todo.returnedBy': 'Returned by {name} ({step}) on {date}',
  'requests.todo.returnedComment': 'Comment',
  'requests.todo.revise': 'Revise',
  'requests.todo.confirmIntro':
    'You are named as an editor. Before these requests can go on, please confirm the current versions of the guidelines and the service agreement. One confirmation covers all your requests until one of the texts changes.',
  'requests.todo.presences': 'Annual confirmation due',
  'requests.todo.presenceDue': '{name}: review date {date}',
  'requests.todo.presenceOverdue': 'overdue',

  'requests.page.awaitingEditors': 'waiting for the confirmation by {names} since {date}',
  'requests.page.reminded': 'A reminder was sent to: {names}.',
  'requests.page.remindedAlready': 'A reminder was already sent today. The next one is possible tomorrow.',
  'requests.remind.submit': 'Send a reminder to confirm',
  'requests.remind.hint': 'Editors who have not confirmed yet get an e-mail – at most one a day.',

  'requests.next.title': 'What happens next',
  'requests.next.one': 'Next, {who} decides.',
  'requests.next.many': 'Next, these decide at the same time:',
  'requests.next.unitHead': 'the head of organisational unit {unit} ({names})',
  'requests.next.unitHeadNoName': 'the head of organisational unit {unit}',
  'requests.next.role.unit_head': 'the head of the organisational unit',
  'requests.next.role.communications': 'the press and information office',
  'requests.next.role.data_protection': 'data protection',
  'requests.next.role.hannoverde': 'Hannover.de editorial',
  'requests.next.role.staff_council': 'the staff council',
  'requests.next.role.admin': 'the administrators',
  'requests.next.awaiting':
    'The step “{step}” starts as soon as {names} have confirmed the guidelines and the service agreement.',
  'requests.next.mail': 'You will get an e-mail as soon as a decision has been made.',

  'requests.confirm.covers':
    'Your confirmation covers every request that names you as an editor, until one of the texts changes.',
  'requests.confirm.read': 'Please read the current versions first:',
  'requests.confirm.textLink': '{title} (version {version} of {date})',

  'requests.decide.publish': 'Approve and publish',
  'requests.decide.publishHint': 'On approval the presence appears on the public overview at once.',

  'requests.delete.link': 'Delete draft',
  'requests.delete.title': 'Delete draft: {name}',
  'requests.delete.text': 'The draft “{name}” will be deleted with everything entered in it. This cannot be undone.',
  'requests.delete.submit': 'Delete draft for good',
  'requests.delete.cancel': 'Cancel and keep the draft',
  'requests.delete.done': 'The draft was deleted.',
};
