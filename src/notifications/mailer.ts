import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Sends one mail or throws; delivery.ts decides about retries. */
export interface Mailer {
  send(mail: Mail): Promise<void>;
  readonly kind: 'smtp' | 'log';
}

export interface MailerLogger {
  info(obj: object, msg: string): void;
}

/**
 * Timeouts keep one unreachable or stalling relay from holding a delivery run (and the
 * claimed messages) for long; delivery claims messages for 15 minutes.
 */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000, dnsTimeout: 10_000 };

/**
 * With SMTP_URL: an SMTP transport (smtp://host:25, smtps://user:pass@host:465, …).
 * Without: a mailer that only logs recipient and subject — never the body, which may hold
 * personal data — so development and demo installations work without a mail server.
 */
export function createMailer(config: { smtpUrl: string | undefined; from: string }, logger: MailerLogger): Mailer {
  if (!config.smtpUrl) {
    return {
      kind: 'log',
      send: (mail) => {
        logger.info({ to: mail.to, subject: mail.subject }, 'mail not sent (no SMTP_URL configured)');
        return Promise.resolve();
      },
    };
  }
  const options: SMTPTransport.Options = { url: config.smtpUrl, ...SMTP_TIMEOUTS };
  // nodemailer is loaded with the first mail, not at every start (a start without SMTP_URL,
  // the default, never needs it)
  let transport: Promise<Transporter<SMTPTransport.SentMessageInfo>> | undefined;
  const smtp = () => (transport ??= import('nodemailer').then((m) => m.default.createTransport(options)));
  return {
    kind: 'smtp',
    send: async (mail) => {
      await (
        await smtp()
      ).sendMail({
        from: config.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        // RFC 3834: out-of-office replies and the like must not answer an automatic mail
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    },
  };
}
