using System;
using System.Threading;
using System.Threading.Tasks;

namespace AsyncGuard.Samples;

/// <summary>AGD0015: Task.WhenAny races that leave the losers running, and the fixes.</summary>
public sealed class AGD0015_WhenAnyLosers
{
    private static async Task<string> DownloadAsync(string url, CancellationToken cancellationToken)
    {
        await Task.Delay(url.Length, cancellationToken);
        return url;
    }

    // The pitfall: after the timeout the download keeps running (and its error is never
    // seen); when the download wins, the five-second timer keeps ticking.
    public async Task<string> DownloadWithTimeoutBrokenAsync(string url)
    {
        var download = DownloadAsync(url, CancellationToken.None);
        var winner = await Task.WhenAny(download, Task.Delay(TimeSpan.FromSeconds(5))); // flagged: AGD0015
        if (winner != download) throw new TimeoutException();
        return await download;
    }

    // Two mirrors raced: the slower one is abandoned, still downloading.
    public async Task<string> FastestMirrorBrokenAsync(string first, string second, CancellationToken cancellationToken)
    {
        var fastest = await Task.WhenAny(DownloadAsync(first, cancellationToken), DownloadAsync(second, cancellationToken)); // flagged: AGD0015
        return await fastest;
    }

    // The fixes: WaitAsync times out and a linked source stops the work; the race cancels the loser.
    public async Task<string> DownloadWithTimeoutAsync(string url, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        return await DownloadAsync(url, timeout.Token).WaitAsync(timeout.Token);
    }

    public async Task<string> FastestMirrorAsync(string first, string second, CancellationToken cancellationToken)
    {
        using var race = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var fastest = await Task.WhenAny(DownloadAsync(first, race.Token), DownloadAsync(second, race.Token));
        await race.CancelAsync();
        return await fastest;
    }
}
