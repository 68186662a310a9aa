import { useRef, useState, type FormEvent } from 'react';
import { api, ApiError, type User } from '../api.ts';
import { usePageTitle } from '../hooks.ts';

export function SignInPage({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  const heading = usePageTitle('Sign in');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const passwordInput = useRef<HTMLInputElement | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api.signIn(email, password));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The server cannot be reached; try again in a moment.');
      setBusy(false);
      // The button was disabled while signing in, which drops focus to the page: give it back where the user
      // will type again (the alert above is announced by itself).
      setTimeout(() => passwordInput.current?.select(), 0);
    }
  };

  return (
    <main id="main" className="sign-in">
      <form className="card sign-in-card" onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title">
        <p className="brand">BrightClient</p>
        <h1 id="sign-in-title" ref={heading} tabIndex={-1}>
          Sign in
        </h1>
        <p className="muted">Your practice’s clients and contacts, and the imports that bring them in.</p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <label htmlFor="email">Email</label>
        <input id="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          ref={passwordInput}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
