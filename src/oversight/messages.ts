import type { Catalogue, Keys } from '../i18n/keys';

/** Texts of the oversight pages (route drawing, process figures, council report); keys start with "oversight.". */
export const de = {
  // the route, drawn
  'oversight.route.title': 'Ablauf als Grafik: {name}',
  'oversight.route.desc':
    '{count} Schritte, von oben nach unten; nebeneinander stehende Schritte laufen gleichzeitig. {steps}. Dieselben Angaben stehen in der Liste der Schritte.',
  'oversight.route.descStep': '{step}: {state}',
  'oversight.route.state': 'Stand: {state}',
  'oversight.route.by': 'von {name}',
  'oversight.route.byOnBehalf': 'von {name} in Vertretung für {principal}',
  'oversight.route.at': 'am {date}',
  'oversight.route.since': 'seit {date}',
  'oversight.route.skippedWhy': 'nur nötig bei Änderung von: {fields}',
  'oversight.route.decider': 'Entscheidet: {who}',
  'oversight.route.when': 'Nur bei Änderung von: {fields}',
  'oversight.route.publishes': 'Veröffentlicht den Antrag',
  'oversight.route.heading': 'Ablauf als Grafik',
} as const;

declare module '../i18n/keys' {
  // the feature registers its keys (see src/i18n/keys.ts)
  interface MessageRegistry extends Keys<typeof de> {}
}

export const en: Catalogue<typeof de> = {
  'oversight.route.title': 'Route as a diagram: {name}',
  'oversight.route.desc':
    '{count} steps, from top to bottom; steps side by side run at the same time. {steps}. The list of steps gives the same information.',
  'oversight.route.descStep': '{step}: {state}',
  'oversight.route.state': 'State: {state}',
  'oversight.route.by': 'by {name}',
  'oversight.route.byOnBehalf': 'by {name} on behalf of {principal}',
  'oversight.route.at': 'on {date}',
  'oversight.route.since': 'since {date}',
  'oversight.route.skippedWhy': 'only needed when these change: {fields}',
  'oversight.route.decider': 'Decides: {who}',
  'oversight.route.when': 'Only when these change: {fields}',
  'oversight.route.publishes': 'Publishes the request',
  'oversight.route.heading': 'Route as a diagram',
};
