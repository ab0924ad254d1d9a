using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace AsyncGuard.Samples;

/// <summary>AGD0032: a task returned from inside a using or a try with finally, and its fix.</summary>
public sealed class AGD0032_TaskReturnedFromUsing
{
    private int _inFlight;

    public int InFlight => _inFlight;

    // The pitfall: the reader is disposed, and the in-flight count dropped, while the work still runs.
    public Task<string> ReadEarlyDisposeAsync(string path)
    {
        using (var reader = new StreamReader(path))
        {
            return reader.ReadToEndAsync(); // flagged: AGD0032
        }
    }

    public Task FlushEarlyReleaseAsync(Stream stream)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            return stream.FlushAsync(); // flagged: AGD0032
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    // The fix: await inside the scope, so that it ends with the work.
    public async Task<string> ReadAsync(string path)
    {
        using (var reader = new StreamReader(path))
        {
            return await reader.ReadToEndAsync();
        }
    }

    public async Task FlushAsync(Stream stream)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            await stream.FlushAsync();
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
