using System.Threading.Tasks;

namespace AsyncGuard.Samples;

/// <summary>AGD0030: TaskCompletionSource without RunContinuationsAsynchronously, and its fix.</summary>
public sealed class AGD0030_TaskCompletionSource
{
    // The pitfall: whoever calls Complete runs the awaiting code inline, on its own thread.
    private readonly TaskCompletionSource<string> _inlineReply = new TaskCompletionSource<string>(); // flagged: AGD0030

    private readonly TaskCompletionSource _inlineStarted = new(TaskCreationOptions.AttachedToParent); // flagged: AGD0030

    // The fix: continuations are queued to the thread pool and Complete returns at once.
    private readonly TaskCompletionSource<string> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly TaskCompletionSource _started =
        new(TaskCreationOptions.AttachedToParent | TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<string> InlineReply => _inlineReply.Task;

    public Task InlineStarted => _inlineStarted.Task;

    public Task<string> Reply => _reply.Task;

    public Task Started => _started.Task;

    public void Complete(string reply)
    {
        _inlineReply.TrySetResult(reply);
        _inlineStarted.TrySetResult();
        _reply.TrySetResult(reply);
        _started.TrySetResult();
    }

    // Silent: options chosen by the caller.
    public static TaskCompletionSource<int> Create(TaskCreationOptions options) => new(options);
}
