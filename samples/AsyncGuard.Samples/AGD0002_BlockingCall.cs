using System.Collections.Concurrent;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace AsyncGuard.Samples;

/// <summary>AGD0002: blocking calls in async code, and their fixes.</summary>
public sealed class AGD0002_BlockingCall
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    // The pitfall: each call holds a thread-pool thread until the disk or the other thread is done.
    public async Task<int> CountLinesBlockingAsync(string path)
    {
        await _gate.WaitAsync();
        try
        {
            var text = File.ReadAllText(path); // flagged: AGD0002
            return text.Split('\n').Length;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<int> TakeBlockingAsync(BlockingCollection<int> queue)
    {
        await Task.Yield();
        return queue.Take(); // flagged: AGD0002
    }

    // The fix: await the twin, passing the token on.
    public async Task<int> CountLinesAsync(string path, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var text = await File.ReadAllTextAsync(path, cancellationToken);
            return text.Split('\n').Length;
        }
        finally
        {
            _gate.Release();
        }
    }

    // No twin: offload the wait, asyncio's run_in_executor move.
    public async Task<int> TakeAsync(BlockingCollection<int> queue) => await Task.Run(() => queue.Take());

    // Silent: in-memory I/O has nothing to wait for.
    public async Task<string> EchoAsync(byte[] data)
    {
        await Task.Yield();
        using var reader = new StreamReader(new MemoryStream(data), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    // Silent: the dual-path shape chooses sync or async on purpose.
    public async Task<int> ReadAsync(Stream stream, byte[] buffer, bool useAsync)
    {
        if (useAsync)
        {
            return await stream.ReadAsync(buffer, 0, buffer.Length);
        }
        else
        {
            return stream.Read(buffer, 0, buffer.Length);
        }
    }
}
