import { useState, type SyntheticEvent } from 'react';
import { useSession } from '../session.js';
import { ErrorBox } from '../components/error-box.js';
import { useAction } from '../use-action.js';

/** One required sign-in box, its label around it; `name` and `autoComplete` let password managers fill it. */
function Credential({
  label,
  onChange,
  ...input
}: {
  label: string;
  name: string;
  type?: 'password';
  autoComplete: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <label>
      {label}
      <input
        {...input}
        required
        onChange={(e) => {
          onChange(e.target.value);
        }}
      />
    </label>
  );
}

export function SignInPage() {
  const { signIn } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  const submit = (event: SyntheticEvent): void => {
    event.preventDefault();
    run(() => signIn(username, password));
  };

  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to defender-hub</h1>
        <Credential
          label="Username"
          name="username"
          autoComplete="username"
          value={username}
          onChange={setUsername}
        />
        <Credential
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
        />
        <ErrorBox error={error} />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
