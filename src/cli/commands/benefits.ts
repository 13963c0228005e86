/**
 * `tongchou benefits transition`: every monthly benefit being paid at the switch-over and its
 * schedule to the provincial standard (raised in equal yearly steps, or kept), from the same
 * stored runs as the rate transition.
 */
import type { Command } from 'commander';
import { renderBenefits } from '../../transition/render';
import { readBenefitSchedules } from '../../transition/views';
import { benefitWorkbook } from '../../transition/workbook';
import { printResult } from '../program';
import { transitionCommand, withTransition, writeWorkbook, type TransitionOptions } from './rates';

export function registerBenefitsCommands(program: Command): void {
  const benefits = program.command('benefits').description('benefit transition (待遇过渡) to the provincial standard');

  transitionCommand(benefits, 'transition', "each monthly benefit's path to the provincial standard").action(async (o: TransitionOptions) => {
    await withTransition(program, o, async (rt, result, runs) => {
      const schedules = await readBenefitSchedules(rt.db, runs.map((r) => r.runId));
      writeWorkbook(o.xlsx, () => benefitWorkbook(schedules));
      printResult(o.json, { ...result, benefits: schedules }, () => renderBenefits(runs, schedules));
    });
  });
}
