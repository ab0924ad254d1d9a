using System.Threading.Tasks;
using Verify = AsyncGuard.Tests.Verifiers.CSharpCodeFixVerifier<AsyncGuard.Rules.TaskCompletionSourceAnalyzer, AsyncGuard.CodeFixes.Rules.TaskCompletionSourceCodeFixProvider>;

namespace AsyncGuard.Tests.Rules;

/// <summary>AGD0030: TaskCompletionSource without RunContinuationsAsynchronously.</summary>
public sealed class TaskCompletionSourceTests
{
    [Fact]
    public Task GenericNoArguments_Reports_FixPassesOption() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            // the reply arrives on the socket thread
            private readonly TaskCompletionSource<int> _reply = {|#0:new TaskCompletionSource<int>()|}; // trailing
        }
        """,
        new[] { Verify.Diagnostic("AGD0030").WithLocation(0).WithArguments("TaskCompletionSource<int>") },
        """
        using System.Threading.Tasks;

        class C
        {
            // the reply arrives on the socket thread
            private readonly TaskCompletionSource<int> _reply = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously); // trailing
        }
        """);

    [Fact]
    public Task NonGenericAndTargetTyped_Report_FixAll() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            private readonly TaskCompletionSource _started = [|new()|];

            Task<string> M()
            {
                TaskCompletionSource<string> done = [|new()|];
                var other = [|new TaskCompletionSource()|];
                other.SetResult();
                return done.Task;
            }
        }
        """,
        """
        using System.Threading.Tasks;

        class C
        {
            private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

            Task<string> M()
            {
                TaskCompletionSource<string> done = new(TaskCreationOptions.RunContinuationsAsynchronously);
                var other = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                other.SetResult();
                return done.Task;
            }
        }
        """);

    [Fact]
    public Task StateOnly_Reports_FixUsesStateAndOptionsConstructor() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            object M(object request) => [|new TaskCompletionSource<bool>(request)|];
        }
        """,
        """
        using System.Threading.Tasks;

        class C
        {
            object M(object request) => new TaskCompletionSource<bool>(request, TaskCreationOptions.RunContinuationsAsynchronously);
        }
        """);

    [Fact]
    public Task OtherOptionsWithoutFlag_Reports_FixOrsFlagIn() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            const bool Pooled = true;

            void M()
            {
                var a = [|new TaskCompletionSource<int>(TaskCreationOptions.AttachedToParent)|];
                var s = [|new TaskCompletionSource<int>("state", TaskCreationOptions.AttachedToParent | TaskCreationOptions.None)|];
                var c = [|new TaskCompletionSource<int>(Pooled ? TaskCreationOptions.AttachedToParent : TaskCreationOptions.None)|];
            }
        }
        """,
        """
        using System.Threading.Tasks;

        class C
        {
            const bool Pooled = true;

            void M()
            {
                var a = new TaskCompletionSource<int>(TaskCreationOptions.AttachedToParent | TaskCreationOptions.RunContinuationsAsynchronously);
                var s = new TaskCompletionSource<int>("state", TaskCreationOptions.AttachedToParent | TaskCreationOptions.None | TaskCreationOptions.RunContinuationsAsynchronously);
                var c = new TaskCompletionSource<int>((Pooled ? TaskCreationOptions.AttachedToParent : TaskCreationOptions.None) | TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
        """);

    [Fact]
    public Task ExplicitNone_StatesInlineContinuations_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                // Run continuations synchronously so awaiters execute inside the lock.
                var n = new TaskCompletionSource<int>(TaskCreationOptions.None);
                var g = new TaskCompletionSource(TaskCreationOptions.None);
                var d = [|new TaskCompletionSource<int>()|];
            }
        }
        """);

    // grpc-dotnet's GrpcCall: "Not created with RunContinuationsAsynchronously to avoid unnecessary
    // dispatch to the thread pool." and "Run the callTcs continuation immediately to keep the same
    // context." The authors chose inline continuations and said so; a comment about something
    // else does not count.
    [Fact]
    public Task CommentAboveStatesInlineContinuations_DoesNotReport_OtherCommentReports() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class Call
        {
            private TaskCompletionSource<int> _response = null!;
            private TaskCompletionSource<string> _status = null!;
            private TaskCompletionSource<bool> _done = null!;

            void Start()
            {
                // Not created with RunContinuationsAsynchronously to avoid unnecessary dispatch to the thread pool.
                _response = new TaskCompletionSource<int>();
                /* Run the status continuation immediately to keep the same context. */
                _status = new TaskCompletionSource<string>();
                // Set when the call ends.
                _done = [|new TaskCompletionSource<bool>()|];
            }
        }
        """);

    // nats.net's SocketConnectionWrapper: the netstandard branch passes TaskCreationOptions.None
    // explicitly, the other branch uses the default, which is the same choice.
    [Fact]
    public Task InactiveBranchPassesOptionsExplicitly_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class Wrapper
        {
            private readonly TaskCompletionSource<bool> _closed =
        #if NETSTANDARD_LEGACY
                new(TaskCreationOptions.None);
        #else
                new();
        #endif

            private readonly TaskCompletionSource<bool> _opened =
        #if NETSTANDARD_LEGACY
                new();
        #else
                [|new()|];
        #endif
        }
        """);

    [Fact]
    public Task FlagAlreadyGiven_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                var a = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
                var b = new TaskCompletionSource(TaskCreationOptions.AttachedToParent | TaskCreationOptions.RunContinuationsAsynchronously);
                var c = new TaskCompletionSource<string>(null, TaskCreationOptions.RunContinuationsAsynchronously);
                TaskCompletionSource<int> d = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
        """);

    [Fact]
    public Task NonConstantOptions_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            TaskCompletionSource<int> M(TaskCreationOptions options) => new TaskCompletionSource<int>(options);
        }
        """);

    [Fact]
    public Task ContinuationOptionsPassedAsState_LeftToCA2247() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                var a = new TaskCompletionSource<int>(TaskContinuationOptions.RunContinuationsAsynchronously);
                var b = new TaskCompletionSource(TaskContinuationOptions.None);
            }
        }
        """);

    [Fact]
    public Task DerivedTypeAndOtherTypes_DoNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class Reply : TaskCompletionSource<int>
        {
            public Reply() : base(TaskCreationOptions.RunContinuationsAsynchronously) { }
        }

        class C
        {
            void M()
            {
                var r = new Reply();
                var t = new Task(() => { });
            }
        }
        """);

    [Fact]
    public Task NoArgumentListWithInitializer_FixAddsArgumentList() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            object M() => [|new TaskCompletionSource<int> { }|];
        }
        """,
        """
        using System.Threading.Tasks;

        class C
        {
            object M() => new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously) { };
        }
        """);

    [Fact]
    public Task NoTasksImport_QualifiesOption() => Verify.VerifyCodeFixAsync(
        """
        class C
        {
            object M() => [|new System.Threading.Tasks.TaskCompletionSource<int>()|];
        }
        """,
        """
        class C
        {
            object M() => new System.Threading.Tasks.TaskCompletionSource<int>(System.Threading.Tasks.TaskCreationOptions.RunContinuationsAsynchronously);
        }
        """);

    [Fact]
    public Task NamedArgument_ReportsWithoutFix() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            object M(object s) => [|new TaskCompletionSource<int>(state: s)|];
        }
        """,
        """
        using System.Threading.Tasks;

        class C
        {
            object M(object s) => [|new TaskCompletionSource<int>(state: s)|];
        }
        """);

    [Fact]
    public Task HalfTypedCode_DoesNotThrow() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                var a = new {|CS1729:TaskCompletionSource<int>|}(1, 2, 3);
                var b = new TaskCompletionSource<{|CS0246:Missing|}>();
                var c = new TaskCompletionSource<int>(TaskCreationOptions.{|CS0117:Nope|});
                var d = new {|CS0308:TaskCompletionSource<int, int>|}();
            }
        }
        """);
}
