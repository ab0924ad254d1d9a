using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace AsyncGuard.Samples;

/// <summary>AGD0023: a token in scope that a call does not get, and its fix.</summary>
public sealed class AGD0023_TokenNotForwarded
{
    // The pitfall: the token is checked once, but the copy and the pause run to their end anyway.
    public async Task CopyWithPauseAsync(Stream source, Stream target, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await source.CopyToAsync(target); // flagged: AGD0023
        await Task.Delay(TimeSpan.FromSeconds(1)); // flagged: AGD0023
    }

    // The fix: both calls get the token, so a cancel request stops them.
    public async Task CopyWithPauseFixedAsync(Stream source, Stream target, CancellationToken cancellationToken)
    {
        await source.CopyToAsync(target, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
    }

    // Silent: no token in scope, nothing to forward.
    public async Task PauseAsync() => await Task.Delay(10);

    // Silent: the convenience overload passes None on purpose to the full one.
    public Task CopyAsync(Stream source, Stream target) => CopyAsync(source, target, CancellationToken.None);

    public Task CopyAsync(Stream source, Stream target, CancellationToken cancellationToken) =>
        source.CopyToAsync(target, cancellationToken);
}
