import { defineAccessibilitySuite } from './a11y';

// every page of PAGES in German: axe-core, Nu Html Checker, privacy of the public pages
defineAccessibilitySuite('de');
