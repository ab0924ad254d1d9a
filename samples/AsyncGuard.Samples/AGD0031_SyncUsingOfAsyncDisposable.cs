using System.IO;
using System.Threading.Tasks;

namespace AsyncGuard.Samples;

/// <summary>AGD0031: a plain using of a type with a real DisposeAsync in async code, and its fix.</summary>
public sealed class AGD0031_SyncUsingOfAsyncDisposable
{
    // The pitfall: the writer's final flush runs synchronously when the block ends.
    public async Task SaveBlockingAsync(string path, string text)
    {
        using var writer = new StreamWriter(path); // flagged: AGD0031
        await writer.WriteAsync(text);
    }

    public async Task CopyBlockingAsync(string from, string to)
    {
        using (var source = File.OpenRead(from)) // flagged: AGD0031
        {
            await using var target = File.Create(to);
            await source.CopyToAsync(target);
        }
    }

    // The fix: DisposeAsync flushes and closes without holding the thread.
    public async Task SaveAsync(string path, string text)
    {
        await using var writer = new StreamWriter(path);
        await writer.WriteAsync(text);
    }

    // Silent: MemoryStream's DisposeAsync is Dispose in disguise, and StreamReader has none.
    public async Task<string> EchoAsync(byte[] data)
    {
        using var memory = new MemoryStream(data);
        using var reader = new StreamReader(memory);
        return await reader.ReadToEndAsync();
    }
}
