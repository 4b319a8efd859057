// How the kernel sends mail: SMTP through nodemailer when ERP_SMTP_URL is set, otherwise a
// development transport that writes each message as an .eml file to ERP_DATA_DIR/mail (nodemailer
// builds the same MIME message; only the delivery differs), so nothing leaves the machine unless
// an operator configured a relay.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface MailTransport {
  /** 'smtp' or 'file' (the development transport). */
  readonly kind: 'smtp' | 'file';
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export interface MailSettings {
  smtpUrl?: string;
  from: string;
  dataDir: string;
}

class SmtpTransport implements MailTransport {
  readonly kind = 'smtp' as const;
  private readonly transporter: Transporter;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    this.transporter = nodemailer.createTransport(url);
  }

  async send(message: MailMessage): Promise<void> {
    await this.transporter.sendMail({ from: this.from, ...message });
  }

  close(): void {
    this.transporter.close();
  }
}

/** Writes each message to <dataDir>/mail/<time>-<random>.eml (mode 0600: links in it are secrets). */
export class FileTransport implements MailTransport {
  readonly kind = 'file' as const;
  private readonly transporter = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'unix',
  });
  readonly folder: string;

  constructor(
    dataDir: string,
    private readonly from: string,
  ) {
    this.folder = join(dataDir, 'mail');
  }

  async send(message: MailMessage): Promise<void> {
    const info = await this.transporter.sendMail({ from: this.from, ...message });
    mkdirSync(this.folder, { recursive: true, mode: 0o700 });
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`;
    writeFileSync(join(this.folder, name), info.message as Buffer, { mode: 0o600 });
  }

  close(): void {}
}

export function mailTransport(settings: MailSettings): MailTransport {
  return settings.smtpUrl
    ? new SmtpTransport(settings.smtpUrl, settings.from)
    : new FileTransport(settings.dataDir, settings.from);
}
