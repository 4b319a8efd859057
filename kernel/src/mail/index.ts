export {
  FileTransport,
  type MailMessage,
  type MailSettings,
  type MailTransport,
  mailTransport,
} from './transport.js';
