import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { displayUri } from './display-path.ts';

describe('displayUri', () => {
  const cwd = '/work/wt';
  it('keeps paths inside the checkout as cucumber gives them', () => {
    assert.equal(displayUri('features/foundation/scaling.feature', cwd, ['/tmp/x']), 'features/foundation/scaling.feature');
  });
  it('prints a feature outside the checkout under the path the user gave', () => {
    assert.equal(displayUri('../../tmp/vd/scaling.feature', cwd, ['/tmp/vd/scaling.feature']), '/tmp/vd/scaling.feature');
    assert.equal(displayUri('../../tmp/vd/sub/a.feature', cwd, ['/tmp/vd/']), '/tmp/vd/sub/a.feature');
    assert.equal(displayUri('../other/a.feature', cwd, ['../other']), '../other/a.feature');
  });
  it('falls back to the absolute path (a glob, or no path given)', () => {
    assert.equal(displayUri('../../tmp/vd/a.feature', cwd, ['/tmp/vd/**/*.feature']), '/tmp/vd/a.feature');
    assert.equal(displayUri('../../tmp/vd/a.feature', cwd), '/tmp/vd/a.feature');
  });
  it('does not take a sibling directory with a common prefix for the given one', () => {
    assert.equal(displayUri('../../tmp/vd2/a.feature', cwd, ['/tmp/vd']), '/tmp/vd2/a.feature');
  });
});
