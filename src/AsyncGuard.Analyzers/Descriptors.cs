using System.Reflection;

namespace AsyncGuard;

/// <summary>
/// Every rule's id, title, message, category and default severity, in one place. The help
/// link of each rule is built here from the repository URL that Directory.Build.props sets.
/// </summary>
internal static class Descriptors
{
    internal static class Categories
    {
        public const string Blocking = "Blocking";
        public const string SyncOverAsync = "SyncOverAsync";
        public const string FireAndForget = "FireAndForget";
        public const string Cancellation = "Cancellation";
        public const string TaskLifetime = "TaskLifetime";
    }

    /// <summary>The repository URL, stamped into the assembly by the build.</summary>
    internal static readonly string RepositoryUrl =
        typeof(Descriptors).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryUrl")?.Value?.TrimEnd('/')
        ?? "https://github.com/asyncguard/asyncguard";

    internal static string HelpLink(string id) => $"{RepositoryUrl}/blob/main/docs/rules/{id}.md";

    // ---- Blocking the event loop: AGD0001, AGD0002, AGD0005, AGD0040 ----

    public static readonly DiagnosticDescriptor AGD0001_BlockingSleep = Create(
        "AGD0001",
        "Do not block with Thread.Sleep in async code",
        "'{0}' blocks a thread inside async code; use 'await Task.Delay' instead",
        Categories.Blocking,
        DiagnosticSeverity.Warning,
        "Thread.Sleep parks the current thread for the whole wait. Inside async code that thread is a thread-pool thread or a UI/request context, which should be given back while waiting: await Task.Delay does that, and can observe the cancellation token in scope.");

    public static readonly DiagnosticDescriptor AGD0002_BlockingCall = Create(
        "AGD0002",
        "Do not make blocking calls in async code",
        "'{0}' blocks a thread inside async code; {1}",
        Categories.Blocking,
        DiagnosticSeverity.Info,
        "A synchronous call that does I/O or waits holds its thread until it completes. Inside async code that thread is a thread-pool thread or a UI/request context: await the call's async twin instead, or, when the call has none, move it off the async path with await Task.Run.");

    public static readonly DiagnosticDescriptor AGD0006_PreferAsyncOverload = Create(
        "AGD0006",
        "Prefer the async overload in async code",
        "'{0}' has an async overload; consider awaiting '{1}'",
        Categories.Blocking,
        DiagnosticSeverity.Info,
        "The method called has an awaitable twin with the same arguments, but AsyncGuard does not know that the synchronous form blocks (it may be cheap or in memory). Awaiting the twin keeps the async path free of hidden waits if it does.");

    // AGD0005
    public static readonly DiagnosticDescriptor AGD0005_LockAcrossAwait = Create(
        "AGD0005",
        "Do not hold a thread-affine lock across await",
        "'{0}' is still held at an 'await'; use 'await SemaphoreSlim.WaitAsync()' with try/finally instead",
        Categories.Blocking,
        DiagnosticSeverity.Warning,
        "Monitor, ReaderWriterLockSlim, Mutex and SpinLock belong to the thread that acquired them. After an await the method may resume on another thread, where the release throws SynchronizationLockException or releases nothing, while the original thread keeps the lock and other callers wait forever. SemaphoreSlim has no thread affinity: acquire it with await WaitAsync() and release it in a finally block.");

    // AGD0040
    public static readonly DiagnosticDescriptor AGD0040_BlockingHelper = Create(
        "AGD0040",
        "Do not call a synchronous helper that blocks from async code",
        "'{0}' blocks: it calls '{1}'{2}; {3}",
        Categories.Blocking,
        DiagnosticSeverity.Info,
        "A synchronous method, constructor or property getter of this project whose body sleeps, waits on a task or a blocking primitive, or does synchronous I/O (directly or through further such members) blocks its caller's thread just as the call inside it would. Called from async code, it ties up the thread-pool thread or the UI/request context that await would have given back. Await the helper's async twin, make the helper async, or offload it with await Task.Run.");

    // ---- end of blocking ----

    // ---- Sync over async: AGD0003, AGD0004 ----

    public static readonly DiagnosticDescriptor AGD0003_BlockingWaitInAsync = Create(
        "AGD0003",
        "Do not block on a task in async code",
        "'{0}' blocks a thread until the task completes inside async code; use '{1}' instead",
        Categories.SyncOverAsync,
        DiagnosticSeverity.Info,
        "Task.Result, Task.Wait, GetAwaiter().GetResult(), Task.WaitAll and Task.WaitAny hold the current thread until the task finishes. Inside async code this wastes the thread that await would have given back, starves the thread pool under load, and deadlocks when the task needs the synchronization context that the blocked thread owns. Awaiting the task, or Task.WhenAll/Task.WhenAny, waits without blocking.");

    public static readonly DiagnosticDescriptor AGD0004_BlockingWaitInSync = Create(
        "AGD0004",
        "Avoid blocking on a task in synchronous code",
        "'{0}' blocks the calling thread until the task completes; make the caller async and use '{1}'",
        Categories.SyncOverAsync,
        DiagnosticSeverity.Info,
        "A synchronous method that waits for a task with Task.Result, Task.Wait, GetAwaiter().GetResult(), Task.WaitAll or Task.WaitAny holds its thread for the whole operation. Under a UI or legacy request synchronization context this deadlocks when the task needs that context to finish, and on the thread pool it risks starvation. Making the caller async and awaiting removes the risk; where a synchronous entry point is unavoidable, keep the bridge in one place.");

    // ---- end of sync over async ----

    // ---- Fire and forget: AGD0010 to AGD0015 ----

    public static readonly DiagnosticDescriptor AGD0010_UnobservedTask = Create(
        "AGD0010",
        "Do not drop the task returned by a call",
        "The task returned by '{0}' is never observed; await it, or write '_ = ' when fire-and-forget is intended",
        Categories.FireAndForget,
        DiagnosticSeverity.Info,
        "A task-like value used as a statement is lost: nobody waits for it, and its exception is never seen. The compiler warns about this (CS4014) only for calls inside async functions; this rule covers the other places: synchronous methods, constructors, setters, synchronous lambdas and event handlers, conditional calls and task constructors. Await the task, store it, or assign it to the discard '_' to say that fire-and-forget is intended.");

    public static readonly DiagnosticDescriptor AGD0011_UnobservedTaskLocal = Create(
        "AGD0011",
        "Do not leave a task in a local that nobody reads",
        "The task stored in '{0}' is never awaited, returned or passed on; await it before the end of its scope",
        Categories.FireAndForget,
        DiagnosticSeverity.Warning,
        "A local that receives a task and is never read afterwards hides the same loss as a dropped task: the work may fail or still be running when the method ends, and nobody will know. Await the task, return it, pass it on, or discard it with '_ = ' when that is the intent.");

    public static readonly DiagnosticDescriptor AGD0012_AsyncVoid = Create(
        "AGD0012",
        "Do not declare async void methods",
        "'{0}' is async void: callers cannot await it and its exceptions crash the process; {1}",
        Categories.FireAndForget,
        DiagnosticSeverity.Info,
        "An async void method cannot be awaited, so its callers do not know when it ends, and an exception that escapes it is raised on the synchronization context or the thread pool, where it usually ends the process. Only event handlers need to be async void. Return Task so that callers can await the work and see its failures.");

    // AGD0013 to AGD0015

    public static readonly DiagnosticDescriptor AGD0013_AsyncLambdaToVoidDelegate = Create(
        "AGD0013",
        "Do not pass an async lambda as a void-returning delegate",
        "The async {0} becomes '{1}', so it runs as async void and nothing awaits it; {2}",
        Categories.FireAndForget,
        DiagnosticSeverity.Warning,
        "An async lambda, anonymous method or async method group converted to a delegate that returns void (Action, ThreadStart, TimerCallback, WaitCallback, ...) runs as async void: the caller gets control back at the first await, cannot wait for the work, and an exception thrown after that await is raised on the synchronization context, where it usually crashes the process. Use an API that accepts a Task-returning delegate, or a loop that awaits each item. Event subscriptions with += are the accepted exception.");

    public static readonly DiagnosticDescriptor AGD0014_NestedTask = Create(
        "AGD0014",
        "Do not use a Task<Task> as the task of the work",
        "'{0}' returns '{1}', which completes at the delegate's first await, not when the work ends; {2}",
        Categories.FireAndForget,
        DiagnosticSeverity.Info,
        "Task.Factory.StartNew, ContinueWith and new Task<TResult> do not understand async delegates: given one, they return a task whose result is the delegate's task. The outer task completes as soon as the delegate reaches its first await, so awaiting it once, passing it to Task.WhenAll or returning it as a Task waits for nothing and loses the work's exceptions. Task.Run unwraps async delegates; elsewhere call Unwrap().");

    public static readonly DiagnosticDescriptor AGD0015_WhenAnyLosers = Create(
        "AGD0015",
        "Stop or observe the tasks that lose a Task.WhenAny race",
        "'{0}' returns at the first finished task and leaves {1} running; cancel the losers or await them, or use 'WaitAsync' for a timeout",
        Categories.FireAndForget,
        DiagnosticSeverity.Info,
        "Task.WhenAny completes when one task finishes and does nothing to the others: they keep running, keep their resources, and their exceptions are never observed. A Task.Delay used as a timeout keeps its timer alive, and the work it timed out keeps running. Cancel the other tasks through a token source, await them later, or time out with WaitAsync and a linked token.");

    // ---- end of fire and forget ----

    // ---- Cancellation: AGD0020 to AGD0024 ----

    public static readonly DiagnosticDescriptor AGD0020_SwallowedCancellation = Create(
        "AGD0020",
        "Do not swallow cancellation and keep working",
        "'{0}' swallows cancellation and the code goes on working; rethrow it with 'throw;' or let OperationCanceledException through",
        Categories.Cancellation,
        DiagnosticSeverity.Warning,
        "A cancelled operation throws OperationCanceledException so that the work stops. A catch that takes it and then lets the code go on (the next round of a loop, more awaits after the try) turns a shutdown into a hang or a busy loop. Clean up if needed, then rethrow or leave the method.");

    public static readonly DiagnosticDescriptor AGD0021_CancellationLoggedAsFailure = Create(
        "AGD0021",
        "Do not report cancellation as a failure",
        "'{0}' logs a cancelled operation as a failure; let OperationCanceledException through with 'when (ex is not OperationCanceledException)'",
        Categories.Cancellation,
        DiagnosticSeverity.Info,
        "A general catch around cancellable code also catches OperationCanceledException. When it logs or reports what it caught, every normal shutdown or cancelled request shows up as an error. Exclude cancellation from the catch with a filter.");

    public static readonly DiagnosticDescriptor AGD0022_TaskCanceledOnly = Create(
        "AGD0022",
        "Catch OperationCanceledException rather than TaskCanceledException",
        "'{0}' misses cancellation thrown as OperationCanceledException; catch 'OperationCanceledException' instead",
        Categories.Cancellation,
        DiagnosticSeverity.Info,
        "TaskCanceledException is only one kind of cancellation: ThrowIfCancellationRequested, channels, semaphores and most APIs throw the base OperationCanceledException. A catch of TaskCanceledException alone lets those through unhandled. Catch OperationCanceledException, which covers both.");

    // AGD0023 and AGD0024

    public static readonly DiagnosticDescriptor AGD0023_TokenNotForwarded = Create(
        "AGD0023",
        "Forward the cancellation token in scope",
        "'{0}' does not get the cancellation token in scope; pass '{1}'",
        Categories.Cancellation,
        DiagnosticSeverity.Info,
        "The call has an overload or an optional parameter that takes a CancellationToken, and a token is in scope, but the call passes none (or passes CancellationToken.None or default). A cancel request then cannot stop this part of the work, and the caller waits for it to finish on its own. Pass the token in scope.");

    public static readonly DiagnosticDescriptor AGD0024_TokenNeverObserved = Create(
        "AGD0024",
        "Observe the cancellation token parameter",
        "'{0}' takes the cancellation token '{1}' but never uses it; pass it on or check it",
        Categories.Cancellation,
        DiagnosticSeverity.Info,
        "An async method that accepts a CancellationToken promises its callers that the work can be cancelled. When the token is never passed on, checked, registered or captured, a cancel request cannot reach the work. Pass the token to the calls that accept one, or check it between steps.");

    public static readonly DiagnosticDescriptor AGD0025_SemaphoreReleasedUnacquired = Create(
        "AGD0025",
        "Acquire the semaphore before the try whose finally releases it",
        "'{0}' may fail to acquire '{1}', and the finally releases it anyway; {2}",
        Categories.Cancellation,
        DiagnosticSeverity.Warning,
        "A SemaphoreSlim wait that is cancelled throws, and a wait with a timeout returns false: either way nothing was acquired. When the wait sits inside the try whose finally releases the semaphore, or its timeout result is ignored before such a try, the finally still releases. The count then grows past what the holders took: another caller enters while the owner is still inside, or Release throws SemaphoreFullException. Acquire before the try, and check the result of a wait with a timeout.");

    // ---- end of cancellation ----

    // ---- Task lifetime and resources: AGD0030 to AGD0032 ----

    public static readonly DiagnosticDescriptor AGD0030_TaskCompletionSource = Create(
        "AGD0030",
        "Create TaskCompletionSource with RunContinuationsAsynchronously",
        "'{0}' runs the awaiting code inline on the thread that completes it; pass 'TaskCreationOptions.RunContinuationsAsynchronously'",
        Categories.TaskLifetime,
        DiagnosticSeverity.Info,
        "Without TaskCreationOptions.RunContinuationsAsynchronously, the code awaiting a TaskCompletionSource's task runs synchronously inside the SetResult, SetException or SetCanceled call. The completing thread then runs someone else's continuation, which can hold a lock it did not expect to hold, deadlock, or stall a loop that completes many sources.");

    public static readonly DiagnosticDescriptor AGD0031_SyncUsingOfAsyncDisposable = Create(
        "AGD0031",
        "Dispose an IAsyncDisposable with await using in async code",
        "'{0}' has an asynchronous DisposeAsync, but 'using' disposes it synchronously; use 'await using'",
        Categories.TaskLifetime,
        DiagnosticSeverity.Info,
        "A plain using statement calls Dispose, which for a type with a real asynchronous dispose (a stream that flushes, a connection that closes, a database context) blocks the thread on the I/O that DisposeAsync would await. In async code, await using disposes without blocking.");

    public static readonly DiagnosticDescriptor AGD0032_TaskReturnedFromUsing = Create(
        "AGD0032",
        "Await a task before leaving the using or try block that guards it",
        "The task from '{0}' is returned from inside a {1} that is left before the task completes; make the method async and await it",
        Categories.TaskLifetime,
        DiagnosticSeverity.Info,
        "A method that is not async returns its task at once, so the using block around the return disposes the resource, and the try block stops guarding, while the work is still running. The operation then fails on a disposed object, or its exception escapes the catch and its cleanup runs early. Awaiting the task inside the block keeps the resource alive and the handlers in force until the work ends.");

    // ---- end of task lifetime ----

    private static DiagnosticDescriptor Create(
        string id,
        string title,
        string messageFormat,
        string category,
        DiagnosticSeverity severity,
        string description,
        bool isEnabledByDefault = true) =>
#pragma warning disable RS0030 // the one place a descriptor is constructed (src/BannedSymbols.txt)
        new(id, title, messageFormat, category, severity, isEnabledByDefault, description, HelpLink(id));
#pragma warning restore RS0030
}
