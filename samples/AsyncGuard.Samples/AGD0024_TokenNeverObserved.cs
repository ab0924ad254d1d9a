using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace AsyncGuard.Samples;

/// <summary>AGD0024: a token parameter that the method never reads, and its fix.</summary>
public sealed class AGD0024_TokenNeverObserved
{
    // The pitfall: callers pass a token, but nothing here ever looks at it.
    public async Task<string> ReadAllBlindAsync(string path, CancellationToken cancellationToken) // flagged: AGD0024
    {
        using var reader = new StreamReader(path);
        var text = await reader.ReadToEndAsync().ConfigureAwait(false); // flagged: AGD0023
        return text.Trim();
    }

    // The fix: the token reaches the read.
    public async Task<string> ReadAllAsync(string path, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(path);
        var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        return text.Trim();
    }

    // Silent: a stub body has nothing to cancel, and '_' says "unused on purpose".
    public Task WarmUpAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task TickAsync(CancellationToken _) => await Task.Yield();
}
