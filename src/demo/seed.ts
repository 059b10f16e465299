import type { Knex } from 'knex';
import type { Directory } from '../directory/directory';
import type { SessionUser } from '../directory/user';
import { createRequestService } from '../requests/service';
import { createNotifier } from '../requests/notify';
import { emptyRequestData, type RequestData } from '../requests/form';
import { rememberPerson } from '../people/store';
import { seedDemoUnits } from './org-units';

/** Active presences of city institutions, as they would stand in the register. */
const DEMO_PRESENCES = [
  {
    unit: '41.2',
    name: 'Museum August Kestner',
    account: 'museumaugustkestner',
    description: 'Angewandte Kunst und Design aus sieben Jahrtausenden – Ausstellungen, Führungen und Workshops.',
  },
  {
    unit: '41.2',
    name: 'Historisches Museum Hannover',
    account: 'historischesmuseumhannover',
    description:
      'Stadt- und Landesgeschichte Hannovers: Ausstellungen, Veranstaltungen und Einblicke hinter die Kulissen.',
  },
  {
    unit: '41.4',
    name: 'Sprengel Museum Hannover',
    account: 'sprengelmuseum',
    description: 'Kunst des 20. und 21. Jahrhunderts am Maschsee.',
  },
  {
    unit: '67.4',
    name: 'Herrenhäuser Gärten',
    account: 'herrenhaeusergaerten',
    description: 'Großer Garten, Berggarten und Georgengarten: Veranstaltungen, Blühtermine und Neuigkeiten.',
  },
  {
    unit: '42',
    name: 'Stadtbibliothek Hannover',
    account: 'stadtbibliothekhannover',
    description: 'Medien, Veranstaltungen und digitale Angebote der Stadtbibliothek und ihrer Stadtteilbibliotheken.',
  },
  {
    unit: '37',
    name: 'Feuerwehr Hannover',
    account: 'feuerwehrhannover',
    description: 'Einsätze, Warnungen und Nachwuchsgewinnung der Berufsfeuerwehr und der Freiwilligen Feuerwehren.',
  },
];

const person = (uid: string, name: string, unit: string, roles: SessionUser['roles'], email: string): SessionUser => ({
  uid,
  name,
  unit,
  roles,
  email,
});
const ROBIN = person('redaktion', 'Robin Schäfer', '41', ['employee'], 'robin.schaefer@hannover-stadt.de');
const ANDREA = person('leitung', 'Dr. Andrea Lange', '41', ['employee', 'unit_head'], 'andrea.lange@hannover-stadt.de');
const JONAS = person(
  'kommunikation',
  'Jonas Becker',
  '18.62',
  ['employee', 'communications'],
  'jonas.becker@hannover-stadt.de',
);
const FATMA = person(
  'datenschutz',
  'Fatma Yılmaz',
  '18.DS',
  ['employee', 'data_protection'],
  'fatma.yilmaz@hannover-stadt.de',
);

/**
 * A complete, valid request of `unit` for facebook.com/<account> (every section filled):
 * the demo data, the tests and the benchmarks file requests with it.
 */
export function completeRequestData(
  name: string,
  account: string,
  unit = '41',
  editors: string[] = ['redaktion', 'redaktion2'],
): RequestData {
  return {
    ...emptyRequestData(),
    orgUnit: unit,
    platform: 'facebook',
    name,
    url: `https://www.facebook.com/${account}`,
    description: `${name}: Neuigkeiten, Veranstaltungen und Angebote.`,
    necessity:
      'Unsere Zielgruppen informieren sich überwiegend in sozialen Netzwerken; ohne diesen Kanal erreichen wir sie nicht rechtzeitig.',
    purpose: 'Information über Veranstaltungen und Angebote',
    targetGroups: 'Kulturinteressierte, Familien, Schulen',
    topics: 'Programm, Ausstellungen, Mitmachangebote',
    contentTypes: 'Text, Bild, kurze Videos mit Untertiteln',
    postingFrequency: 'zwei bis drei Beiträge pro Woche',
    interaction: 'Kommentare und Nachrichten sind eingeschaltet',
    moderation: 'Werktäglich durch das Redaktionsteam nach der Netiquette der Stadt',
    staffedHours: 'Mo–Fr 9–16 Uhr',
    responseTime: 'innerhalb von zwei Werktagen',
    hannoverDeUrl: 'https://www.hannover.de/Kultur-Freizeit',
    commitHannoverDeOnly: true,
    commitNotExclusive: true,
    commitLinkBack: true,
    noServices: true,
    editors,
    trainingDate: '2026-09-15',
    imprintUrl: 'https://www.hannover.de/Impressum',
    privacyUrl: 'https://www.hannover.de/Datenschutz',
    jointControllerAck: true,
    a11yAltText: true,
    a11ySubtitles: true,
    alternativeChannel: 'kultur@hannover-stadt.de, Telefon 0511 168-0',
    twoFactor: true,
    noSharedCredentials: true,
    offboarding:
      'Zugänge werden am letzten Arbeitstag entzogen; die Vertretung übernimmt, bis eine neue Person benannt ist.',
    reviewMonths: '12',
  };
}

/**
 * Demo data for the embedded default (or `npm run seed:demo`): organisation, presences of
 * city institutions, and requests in several states so that every demo user finds
 * something to do. Runs once: it does nothing when requests already exist.
 */
export async function seedDemo(db: Knex, directory: Directory, clock: () => Date, baseUrl: string): Promise<boolean> {
  if (await db('requests').first('id')) return false;
  const now = clock();
  await db.transaction(async (trx) => {
    await seedDemoUnits(trx, now);
    for (const p of [ROBIN, ANDREA, JONAS, FATMA]) await rememberPerson(trx, p, now);
    // three statements for all of them (this runs at every fresh start of the demo)
    const taken = new Set(
      (
        await trx('presences')
          .where({ platform_key: 'facebook' })
          .whereIn(
            'account_id',
            DEMO_PRESENCES.map((p) => p.account),
          )
          .select<Array<{ account_id: string }>>('account_id')
      ).map((r) => r.account_id),
    );
    const units = new Map(
      (
        await trx('org_units')
          .whereIn(
            'code',
            DEMO_PRESENCES.map((p) => p.unit),
          )
          .select<Array<{ id: number; code: string; hannover_de_url: string | null }>>('id', 'code', 'hannover_de_url')
      ).map((u) => [u.code, u]),
    );
    const rows = [...DEMO_PRESENCES.entries()]
      .filter(([, p]) => !taken.has(p.account))
      .map(([i, p]) => {
        const unit = units.get(p.unit);
        if (!unit) throw new Error(`demo unit ${p.unit} missing`);
        const published = new Date(now.getTime() - (400 - i * 45) * 86_400_000);
        return {
          slug: `${p.account}-facebook`,
          platform_key: 'facebook',
          account_id: p.account,
          url: `https://www.facebook.com/${p.account}`,
          name: p.name,
          description: p.description,
          org_unit_id: unit.id,
          hannover_de_url: unit.hannover_de_url,
          status: 'active',
          published_at: published,
          last_confirmed_at: new Date(
            published.getTime() + 300 * 86_400_000 > now.getTime()
              ? published
              : new Date(now.getTime() - 30 * 86_400_000),
          ),
          review_due: new Date(now.getTime() + (60 + i * 30) * 86_400_000).toISOString().slice(0, 10),
          created_at: published,
          updated_at: published,
        };
      });
    if (rows.length > 0) await trx('presences').insert(rows);
  });

  const service = createRequestService({ db, directory, clock, notify: createNotifier({ baseUrl, directory }) });
  const submit = async (data: RequestData) => {
    const id = await service.create(ROBIN, data);
    const result = await service.submit(ROBIN, id, data);
    if (!result.ok) throw new Error(`demo request invalid: ${JSON.stringify(result.problems)}`);
    return id;
  };
  // a draft of the editor's
  await service.create(ROBIN, {
    ...emptyRequestData(),
    orgUnit: '41',
    platform: 'facebook',
    name: 'Kulturbüro Hannover (Entwurf)',
  });
  // waiting for the unit head
  await submit(completeRequestData('Theater in der List', 'theaterinderlist.hannover'));
  // waiting for communications and data protection
  const parallel = await submit(completeRequestData('Kulturtreff Hainholz', 'kulturtreff.hainholz'));
  await service.act(ANDREA, parallel, { type: 'approve', stepId: 'unit_head' }, undefined);
  // returned for changes by data protection
  const returned = await submit(completeRequestData('Musikschule Hannover', 'musikschule.hannover'));
  await service.act(ANDREA, returned, { type: 'approve', stepId: 'unit_head' }, undefined);
  await service.act(
    FATMA,
    returned,
    {
      type: 'return',
      stepId: 'data_protection',
      comment: 'Bitte verlinken Sie eine eigene Datenschutzerklärung für den Auftritt.',
    },
    undefined,
    // what data protection checked, and the section the author should look at (#15)
    { checked: ['imprint', 'art26'], unchecked: ['privacy', 'joint_controller_ack'], sections: [8] },
  );
  // waiting for Hannover.de editorial once the editors confirm
  const last = await submit(completeRequestData('Kunstschule Hannover', 'kunstschule.hannover'));
  await service.act(ANDREA, last, { type: 'approve', stepId: 'unit_head' }, undefined);
  await service.act(JONAS, last, { type: 'approve', stepId: 'communications' }, undefined);
  await service.act(FATMA, last, { type: 'approve', stepId: 'data_protection' }, undefined);
  await service.confirmEditor(ROBIN, last);
  return true;
}
