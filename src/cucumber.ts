/**
 * `import { Given, When, Then } from 'kubeproof/cucumber'` — for a project's own step definitions when
 * kubeproof is its dependency. Steps must register with the very copy of cucumber that kubeproof runs:
 * a project that imported its own @cucumber/cucumber (or none is installed next to it, as with
 * `npm install <folder>`) would register steps nobody runs. Also kubeproof's World type, for `this`.
 */
export * from '@cucumber/cucumber';
export type { ChaosWorld, ChaosParameters } from '../steps/world.ts';
