using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AsyncGuard.Samples;

/// <summary>AGD0025: a semaphore wait inside the try whose finally releases it, and the fix.</summary>
public sealed class AGD0025_SemaphoreReleasedUnacquired
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<string> _log = new();

    // The pitfall: a cancelled wait throws inside the try, and the finally releases a count
    // this caller never took; the next caller then enters while the owner is still inside.
    public async Task AppendUnguardedAsync(string line, CancellationToken cancellationToken)
    {
        try
        {
            await _gate.WaitAsync(cancellationToken); // flagged: AGD0025
            _log.Add(line);
            await Task.Delay(1, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    // The pitfall: the timed wait returns false after a second, and the code goes on, then releases.
    public void ClearUnguarded()
    {
        _gate.Wait(TimeSpan.FromSeconds(1)); // flagged: AGD0025
        try
        {
            _log.Clear();
        }
        finally
        {
            _gate.Release();
        }
    }

    // The fix: acquire before the try; only a caller that got in reaches the finally.
    public async Task AppendAsync(string line, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _log.Add(line);
            await Task.Delay(1, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    // The fix for the timed wait: check its result.
    public bool TryClear()
    {
        if (!_gate.Wait(TimeSpan.FromSeconds(1))) return false;
        try
        {
            _log.Clear();
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    // Also silent: a flag set once the wait succeeded guards the release.
    public async Task AppendGuardedAsync(string line, CancellationToken cancellationToken)
    {
        var taken = false;
        try
        {
            await _gate.WaitAsync(cancellationToken);
            taken = true;
            _log.Add(line);
        }
        finally
        {
            if (taken) _gate.Release();
        }
    }
}
