using System.Threading.Tasks;
using Verify = AsyncGuard.Tests.Verifiers.CSharpAnalyzerVerifier<AsyncGuard.Rules.BlockingWaitAnalyzer>;

namespace AsyncGuard.Tests.Facts;

/// <summary>
/// <see cref="CompletionFacts"/> through the rule that asks it most (AGD0004 in synchronous code):
/// the shapes added for AGD0040's helpers, modelled on a gRPC client's call objects: a completion
/// check written with a compatibility extension method, on a property of this instance, and on
/// the task of a TaskCompletionSource field.
/// </summary>
public sealed class CompletionFactsTests
{
    [Fact]
    public Task CompatibilityCheck_PropertyAndCompletionSourceTask_AreKnownComplete() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        static class Compat
        {
            public static bool IsCompletedSuccessfully(this Task task) => task.Status == TaskStatus.RanToCompletion;
        }

        class Call
        {
            private readonly TaskCompletionSource<int> _tcs = new();

            public Task<int> CallTask => _tcs.Task;

            int Status() => CallTask.IsCompletedSuccessfully() ? CallTask.Result : -1;

            bool IsZero() => _tcs.Task.IsCompletedSuccessfully() && _tcs.Task.Result == 0;

            int Other(Task<int> other) => CallTask.IsCompletedSuccessfully() ? other.{|AGD0004:Result|} : 0;

            int Unchecked() => _tcs.Task.{|AGD0004:Result|};

            static int OfParameter(Call call) => call.CallTask.IsCompletedSuccessfully() ? call.CallTask.Result : -1;

            static int UncheckedOfParameter(Call call) => call.CallTask.{|AGD0004:Result|};
        }
        """);

    [Fact]
    public Task CompletionSourceTask_OfAnotherSource_IsNotKnownComplete() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class Call
        {
            private readonly TaskCompletionSource<int> _first = new();
            private readonly TaskCompletionSource<int> _second = new();

            int M() => _first.Task.IsCompleted ? _second.Task.{|AGD0004:Result|} : 0;
        }
        """);
}
