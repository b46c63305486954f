import { describe, expect, it } from 'vitest';
import { BarChart, countTicks, labelLines } from '../../functions/web/charts.js';

describe('server-rendered bar charts', () => {
  it('puts whole-number ticks on a count axis, about five intervals at most', () => {
    expect(countTicks(0).map((t) => t.value)).toEqual([0, 1]);
    expect(countTicks(3).map((t) => t.value)).toEqual([0, 1, 2, 3]);
    expect(countTicks(7).map((t) => t.value)).toEqual([0, 2, 4, 6, 8]);
    expect(countTicks(23).map((t) => t.value)).toEqual([0, 5, 10, 15, 20, 25]);
    expect(countTicks(7.5, (n) => `${n} d`).at(-1)).toEqual({ value: 8, label: '8 d' });
  });

  it('breaks a long label at a space onto a second line, and cuts only what two lines cannot hold', () => {
    expect(labelLines('上海市市场监督管理局')).toEqual(['上海市市场监督管理局']);
    expect(labelLines('Pudong New Area Administration for Market Regulation')).toEqual(['Pudong New Area Administration for Market', 'Regulation']);
    const long = '很长'.repeat(40);
    const [first, second] = labelLines(long);
    expect(first!.length).toBe(25);
    expect(second!.endsWith('…')).toBe(true);
  });

  it('draws an image with its title and description, presentation attributes only, scaled to its container', () => {
    const svg = String(
      BarChart({ id: 'c', title: 'Cases', desc: 'Overdue: 2 cases', categoryAxis: 'Week', valueAxis: 'Cases', ticks: countTicks(2), bars: [{ label: 'Overdue', value: 2, valueText: '2 cases', tone: 'danger' }, { label: 'Paused', value: null, valueText: 'none' }] }),
    );
    expect(svg).toMatch(/^<svg role="img" aria-labelledby="c-title c-desc" class="chart" width="100%" viewBox="0 0 360 \d+"/);
    expect(svg).toContain('<title id="c-title">Cases</title><desc id="c-desc">Overdue: 2 cases</desc>');
    // One bar (the null value has none), as wide as the axis: 2 of 2.
    expect(svg.match(/<rect /g)).toHaveLength(1);
    expect(svg).toContain('fill="#a4161a"');
    expect(svg).toContain('text-anchor="middle"');
    expect(svg).not.toMatch(/\sstyle=/);
  });
});
