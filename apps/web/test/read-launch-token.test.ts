import { describe, expect, it } from 'vitest';
import { readLaunchToken } from '../src/api/read-launch-token.ts';

describe('readLaunchToken', () => {
  it('takes the ltik from the query and leaves a path without it', () => {
    const result = readLaunchToken('http://localhost:3000/app/?ltik=abc.def.ghi');
    expect(result).toEqual({ token: 'abc.def.ghi', cleanPath: '/app/' });
  });

  it('keeps the other query parameters and the hash when removing the ltik', () => {
    const result = readLaunchToken('http://localhost:3000/app/?tab=units&ltik=tok&x=1#top');
    expect(result).toEqual({ token: 'tok', cleanPath: '/app/?tab=units&x=1#top' });
  });

  it('reports no token when the page was opened without a launch', () => {
    expect(readLaunchToken('http://localhost:3000/app/').token).toBeNull();
  });

  it('treats an empty ltik as no token and still removes it from the address', () => {
    expect(readLaunchToken('http://localhost:3000/app/?ltik=')).toEqual({ token: null, cleanPath: '/app/' });
  });

  it('decodes a URL-encoded token', () => {
    expect(readLaunchToken('http://localhost:3000/app/?ltik=a%2Bb%3D').token).toBe('a+b=');
  });
});
