using System;
using System.Threading.Tasks;

namespace AsyncGuard.Samples;

/// <summary>AGD0012: async void outside event handlers, and its fix.</summary>
public sealed class AGD0012_AsyncVoid
{
    private string status = string.Empty;

    public event EventHandler? Loaded;

    // The pitfall: callers cannot await the refresh, and its exception ends the process.
    public async void RefreshBlocking(Func<Task<string>> load) // flagged: AGD0012
    {
        status = await load();
    }

    // The fix: return Task, so that the caller awaits it and sees its failure.
    public async Task RefreshAsync(Func<Task<string>> load)
    {
        status = await load();
    }

    // Silent: an event handler has to be async void.
    public void Wire(Func<Task<string>> load) => Loaded += async (sender, e) => await RefreshAsync(load);

    public async void OnClicked(object? sender, EventArgs e)
    {
        await Task.Yield();
        Loaded?.Invoke(this, EventArgs.Empty);
    }

    public string Status => status;
}
