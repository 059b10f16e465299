import { defineAccessibilitySuite } from './a11y';

// every page of PAGES in English (/en): axe-core, Nu Html Checker, privacy of the public pages
defineAccessibilitySuite('en');
