using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AsyncGuard.Samples;

/// <summary>AGD0006: a call with an async overload that AsyncGuard does not know to block.</summary>
public sealed class AGD0006_PreferAsyncOverload
{
    /// <summary>A store with a sync and an async way to load a value.</summary>
    public sealed class ProfileStore
    {
        private readonly Dictionary<int, string> _profiles = new();

        public string Load(int id) => _profiles.TryGetValue(id, out var name) ? name : string.Empty;

        public Task<string> LoadAsync(int id, CancellationToken cancellationToken = default) =>
            cancellationToken.IsCancellationRequested ? Task.FromCanceled<string>(cancellationToken) : Task.FromResult(_profiles.TryGetValue(id, out var name) ? name : string.Empty);
    }

    // The suggestion: the async overload exists; maybe the sync one waits on something.
    public async Task<string> GreetQuicklyAsync(ProfileStore store)
    {
        await Task.Yield();
        return "Hello " + store.Load(7); // flagged: AGD0006
    }

    // The fix: await the overload.
    public async Task<string> GreetAsync(ProfileStore store, CancellationToken cancellationToken) =>
        "Hello " + await store.LoadAsync(7, cancellationToken);
}
