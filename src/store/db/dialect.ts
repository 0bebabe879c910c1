/** The two databases the store runs on: the embedded default, and the one that scales out. */
export type Dialect = 'sqlite' | 'postgres';
