using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace AsyncGuard.Samples;

/// <summary>AGD0040: a synchronous helper that blocks, called from async code, and the fixes.</summary>
public sealed class AGD0040_BlockingHelper
{
    // The pitfall: the action looks async, but the repository's Load reads the file
    // synchronously, two calls down, and holds a thread-pool thread for the whole read.
    // (AGD0006 reports the call too: LoadSettings has an async overload.)
    public async Task<int> CountSettingsBlockingAsync(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await Task.Yield();
        var text = LoadSettings(path); // flagged: AGD0006, AGD0040
        return text.Split('\n').Length;
    }

    public async Task PollBlockingAsync()
    {
        await Task.Yield();
        Backoff(); // flagged: AGD0040
    }

    private static string LoadSettings(string path) => ReadConfig(path);

    private static string ReadConfig(string path) => File.ReadAllText(path);

    private static void Backoff() => Thread.Sleep(200);

    // The fix: await the helper's async twin.
    public async Task<int> CountSettingsAsync(string path, CancellationToken cancellationToken)
    {
        var text = await LoadSettingsAsync(path, cancellationToken);
        return text.Split('\n').Length;
    }

    private static Task<string> LoadSettingsAsync(string path, CancellationToken cancellationToken) =>
        File.ReadAllTextAsync(path, cancellationToken);

    // No twin: offload the helper, or make it async.
    public async Task PollAsync() => await Task.Run(() => Backoff());

    // Silent: the helper hands its blocking work to another thread.
    public async Task StartAsync()
    {
        await Task.Yield();
        StartInBackground();
    }

    private static void StartInBackground() => _ = Task.Run(() => Thread.Sleep(200));
}
