import { defineJourneys } from './journeys';

// the same journeys with JavaScript disabled in the browser: the portal works without it
defineJourneys(false);
