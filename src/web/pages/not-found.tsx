import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        This address names no page of the hub. Go to the <Link to="/">dashboard</Link>.
      </p>
    </section>
  );
}
