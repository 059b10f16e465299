import type { Knex } from 'knex';

/**
 * The guidelines and the service agreement that editors confirm, served by the portal in
 * versions, and each person's confirmation of a version. One confirmation covers all of a
 * person's requests until a text gets a new version (then they confirm again).
 *
 * Version 1 is a faithful short summary of council paper 1112/2013 and the product brief: the
 * directive's own text is not public. Existing confirmations (one per request until now) are
 * carried over as confirmations of version 1, so nobody is asked twice for the same text.
 */
const LEITLINIEN_DE = [
  'Die Landeshauptstadt Hannover nutzt soziale Medien für ihre Öffentlichkeitsarbeit, um vor allem jüngere Menschen zu erreichen und sie mit dem gemeinsamen Internetportal Hannover.de von Stadt und Region in Verbindung zu bringen (Informationsdrucksache 1112/2013).',
  'Auftritte der Fachbereiche, Ämter und Betriebe werden dezentral und in deren eigener Verantwortung betrieben. Jeder Auftritt gehört zu einer Organisationseinheit; ihre Leitung gibt ihn als Erste frei, ihre Redakteur*innen bleiben danach verantwortlich.',
  'Veröffentlicht werden nur Informationen, die auch für Hannover.de freigegeben sind. Nichts erscheint exklusiv in sozialen Medien; der Auftritt ersetzt Hannover.de nicht, sondern verweist darauf und macht es bekannter.',
  'Auf der Plattform werden keine konkreten Verwaltungsleistungen erbracht und keine persönlichen Anliegen einzelner Menschen bearbeitet; dafür wird auf die zuständigen Wege der Verwaltung verwiesen.',
  'Datenschutz: angemessen vorsichtig. Der Datenschutz gibt jeden Auftritt frei; Impressum und Datenschutzhinweis sind verlinkt, die Bedingungen der gemeinsamen Verantwortung mit der Plattform sind zur Kenntnis genommen.',
  'Jeder Auftritt hat mindestens zwei benannte Redakteur*innen (Leitung und Vertretung), feste Betreuungszeiten und eine zugesagte Antwortzeit. Die Konten sind mit Zwei-Faktor-Anmeldung gesichert, persönliche Zugangsdaten werden nicht geteilt.',
  'Barrierefreiheit: Bilder erhalten Alternativtexte, Videos Untertitel, und im Profil steht ein alternativer Kontaktweg.',
  'Freigegeben ist zunächst Facebook. Der Auftritt facebook.com/Hannover.de von Stadt und Region wird zentral von der Hannover.de Internet GmbH betrieben.',
].join('\n\n');

const LEITLINIEN_EN = [
  'The City of Hannover uses social media for its public relations, above all to reach younger people and to connect them with Hannover.de, the joint internet portal of the city and the region (council information paper 1112/2013).',
  'Presences of departments, offices and municipal enterprises are run decentrally and under their own responsibility. Every presence belongs to one organisational unit; its head signs it off first, and its editors remain responsible afterwards.',
  'Only information that has also been released for Hannover.de is published. Nothing appears exclusively on social media; a presence does not replace Hannover.de but points to it and raises its profile.',
  'No concrete administrative services are provided and no individual cases are handled on the platform; people are referred to the administration’s proper channels.',
  'Data protection: appropriately cautious. The data-protection office signs off every presence; imprint and privacy notice are linked, and the joint-controller terms of the platform have been acknowledged.',
  'Every presence has at least two named editors (lead and deputy), fixed staffed hours and a promised response time. Accounts are secured with two-factor sign-in; personal credentials are never shared.',
  'Accessibility: images get alternative texts, videos get subtitles, and the profile names an alternative way to get in touch.',
  'Facebook is approved first. The presence facebook.com/Hannover.de of the city and the region is run centrally by Hannover.de Internet GmbH.',
].join('\n\n');

const DIENSTVEREINBARUNG_DE = [
  'Die Dienstvereinbarung zur dienstlichen Nutzung von Social-Media-Angeboten wurde mit dem Personalrat geschlossen. Sie schützt die Beschäftigten, denn die Arbeit in sozialen Medien ist Öffentlichkeitsarbeit mit hoher Reichweite und schneller Reaktionszeit.',
  'Beschäftigte betreuen einen dienstlichen Auftritt nur, wenn sie von ihrer Organisationseinheit als Redakteur*in benannt sind und diese Vereinbarung sowie die Leitlinien bestätigt haben. Es gibt immer eine Vertretung.',
  'Dienstliche Auftritte werden innerhalb der festgelegten Betreuungszeiten betreut. Außerhalb dieser Zeiten wird keine Erreichbarkeit erwartet.',
  'Dienstliche Konten sind von privaten Konten getrennt; persönliche Zugangsdaten werden nicht geteilt. Scheidet eine Redakteur*in aus, werden ihre Zugänge entzogen und die Vertretung übernimmt.',
  'Die Beiträge der Beschäftigten in dienstlichen Auftritten dienen nicht der Leistungs- oder Verhaltenskontrolle.',
  'Der Personalrat wird über jeden neuen Auftritt informiert und kann die Anträge einsehen. Frauen und Männer nutzen soziale Medien gleichermaßen; die Regeln gelten für alle Beschäftigten gleich.',
].join('\n\n');

const DIENSTVEREINBARUNG_EN = [
  'The service agreement on the official use of social media was concluded with the staff council. It protects employees, because working on social media is public relations with high reach and fast reaction times.',
  'Employees look after an official presence only when their organisational unit has named them as editors and they have confirmed this agreement and the guidelines. There is always a deputy.',
  'Official presences are looked after within the staffed hours that have been set. Nobody is expected to be available outside those hours.',
  'Official accounts are kept apart from private accounts; personal credentials are never shared. When an editor leaves, their access is removed and the deputy takes over.',
  'Employees’ posts on official presences are not used to monitor their performance or conduct.',
  'The staff council is informed of every new presence and may read the requests. Women and men use social media equally; the rules apply equally to all employees.',
].join('\n\n');

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('guideline_texts', (t) => {
    t.string('key', 40).notNullable(); // leitlinien | dienstvereinbarung
    t.integer('version').notNullable();
    t.date('valid_from').notNullable();
    t.string('title_de', 200).notNullable();
    t.string('title_en', 200).notNullable();
    t.text('body_de').notNullable();
    t.text('body_en').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['key', 'version']);
  });
  await knex.raw(
    "ALTER TABLE guideline_texts ADD CONSTRAINT guideline_texts_key CHECK (key IN ('leitlinien','dienstvereinbarung'))",
  );
  await knex.raw('ALTER TABLE guideline_texts ADD CONSTRAINT guideline_texts_version CHECK (version > 0)');

  await knex.schema.createTable('guideline_confirmations', (t) => {
    t.string('uid', 100).notNullable();
    t.string('key', 40).notNullable();
    t.integer('version').notNullable();
    t.timestamp('confirmed_at', { useTz: true }).notNullable();
    t.primary(['uid', 'key', 'version']);
    t.foreign(['key', 'version']).references(['key', 'version']).inTable('guideline_texts');
  });

  await knex('guideline_texts').insert([
    {
      key: 'leitlinien',
      version: 1,
      valid_from: '2013-05-13',
      title_de: 'Social-Media-Leitlinien der Landeshauptstadt Hannover',
      title_en: 'Social-media guidelines of the City of Hannover',
      body_de: LEITLINIEN_DE,
      body_en: LEITLINIEN_EN,
    },
    {
      key: 'dienstvereinbarung',
      version: 1,
      valid_from: '2013-05-13',
      title_de: 'Dienstvereinbarung zur dienstlichen Nutzung von Social-Media-Angeboten',
      title_en: 'Service agreement on the official use of social media',
      body_de: DIENSTVEREINBARUNG_DE,
      body_en: DIENSTVEREINBARUNG_EN,
    },
  ]);
  for (const key of ['leitlinien', 'dienstvereinbarung']) {
    await knex.raw(
      `INSERT INTO guideline_confirmations (uid, key, version, confirmed_at)
       SELECT uid, ?, 1, min(confirmed_at) FROM request_editors WHERE confirmed_at IS NOT NULL GROUP BY uid`,
      [key],
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('guideline_confirmations');
  await knex.schema.dropTable('guideline_texts');
}
