import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export function useRoute(): string[] {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
}

export function Link({ href, children }: { href: string; children: ComponentChildren }) {
  return (
    <a class="link" href={href}>
      {children}
    </a>
  );
}
