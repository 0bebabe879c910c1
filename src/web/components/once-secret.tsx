/** A generated secret (a password, a token) shown once, with the reminder that it is not shown again. */
export function OnceSecret({ label, value }: { label: string; value: string | undefined }) {
  if (value === undefined) return null;
  return (
    <div className="once-secret" role="status">
      <p>
        {label} (shown once; copy it now): <code>{value}</code>
      </p>
    </div>
  );
}
