import { useSessionState } from '../app/session';
import { formatMoney } from './format';

/** The configured currency (the session's settings), EUR before a session is known. */
export function useCurrency(): string {
  const { state } = useSessionState();
  return state.status === 'signedIn' ? state.settings.currency : 'EUR';
}

/** An amount in minor units, in the given or the configured currency. */
export function Money({ minor, currency }: { minor: number; currency?: string }) {
  const configured = useCurrency();
  return <span className="money">{formatMoney(minor, currency ?? configured)}</span>;
}
