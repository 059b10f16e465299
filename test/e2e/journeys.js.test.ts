import { defineJourneys } from './journeys';

// citizen, editor, deciders, return and resubmit, CSV import, keyboard only — with JavaScript
defineJourneys(true);
