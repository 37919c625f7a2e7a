/**
 * The CDK app entry (`cdk.json`: `npx tsx --tsconfig tsconfig.base.json apps/platform/src/main.ts`).
 * Synthesizes every stack into one cloud assembly. cdk-nag errors fail the synthesis through CDK's
 * validation plugins; unacknowledged warnings fail it here, so the gate is "zero findings".
 */
import { nagFindings } from '@sm/infra';
import { createApp } from './app';

const { app } = createApp();
app.synth();

const findings = nagFindings(app);
if (findings.length > 0) {
  for (const finding of findings) {
    console.error(`[cdk-nag ${finding.severity}] ${finding.rule} at ${finding.constructPath}: ${finding.description}`);
  }
  console.error(`cdk-nag: ${findings.length} unacknowledged finding(s); fix them or acknowledge them on the narrowest construct with the compensating control.`);
  process.exitCode = 1;
}
