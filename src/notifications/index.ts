/** The notifications feature: queue mails in a transaction, deliver them once, show the outbox. */
export { enqueue, listOutbox, retryMessage, getOutboxMessage, isDeliverableAddress, OUTBOX_STATUSES } from './outbox';
export type { OutgoingMessage, OutboxMessage, OutboxStatus, Recipient } from './outbox';
export { renderTemplate, TEMPLATE_KEYS, TEMPLATE_PARAMS, TemplateError, isTemplateKey } from './templates';
export type { TemplateKey, TemplateParams, MailLocale, RenderedMail } from './templates';
export { createMailer } from './mailer';
export type { Mailer, Mail } from './mailer';
export { deliverDue, outboxJob, backoffMs, BACKOFF_MINUTES, CLAIM_MS, DEFAULT_MAX_ATTEMPTS } from './delivery';
export type { DeliveryResult } from './delivery';
export { outboxRoutes } from './routes';
