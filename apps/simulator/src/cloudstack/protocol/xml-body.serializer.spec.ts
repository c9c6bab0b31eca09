import { toXml } from './xml-body.serializer';

describe('toXml', () => {
  it('repeats array elements, nests objects, escapes text and drops empty arrays and unset fields', () => {
    const xml = toXml('queryasyncjobresultresponse', {
      uuidList: [],
      jobid: 'j',
      jobresult: { host: { name: 'a<b>&"c\'', tags: ['x', 'y'], missing: undefined } },
    }, '4.19.1.0');
    expect(xml).toBe('<?xml version="1.0" encoding="UTF-8"?><queryasyncjobresultresponse cloud-stack-version="4.19.1.0">' +
      '<jobid>j</jobid><jobresult><host><name>a&lt;b&gt;&amp;&quot;c&apos;</name><tags>x</tags><tags>y</tags></host></jobresult>' +
      '</queryasyncjobresultresponse>');
  });
});
