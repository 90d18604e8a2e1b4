// The shared UI kit: import from '../../ui' in pages.
export { ConfirmButton } from './confirm-button';
export { Field, fieldError } from './field';
export { formatDateTime, formatMoney, minorDigits, parseMoney } from './format';
export { Money, useCurrency } from './money';
export { Page } from './page';
export { Pager } from './pager';
export { Empty, ErrorMessage, Loading, errorText } from './status';
export { useResource, type Resource } from './use-resource';
