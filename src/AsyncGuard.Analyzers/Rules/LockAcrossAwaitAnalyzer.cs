using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AsyncGuard.Rules;

/// <summary>
/// Flags a thread-affine lock (Monitor, ReaderWriterLockSlim, Mutex, SpinLock) that is acquired
/// and then still held at an <c>await</c> of the same function (AGD0005): the code after the
/// await may run on another thread, where the release throws or releases nothing.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LockAcrossAwaitAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.AGD0005_LockAcrossAwait);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.From(start.Compilation) is not { } symbols) return;
            var state = new CompilationState(ThreadAffineLocks.For(symbols));
            if (!state.Locks.Any) return;
            var testCode = TestCode.For(start.Compilation, start.Options);
            if (testCode.SilencesEverywhere(SupportedDiagnostics)) return;
            // Lock acquires are rare: the block around one is walked only when one is found.
            start.RegisterOperationAction(
                c =>
                {
                    var invocation = (IInvocationOperation)c.Operation;
                    if (!ThreadAffineLocks.MayBeLockCall(invocation.TargetMethod.Name)) return;
                    if (testCode.Silences(Descriptors.AGD0005_LockAcrossAwait, invocation.Syntax.SyntaxTree)) return;
                    if (state.Locks.Classify(invocation) is not { IsAcquire: true } acquire) return;
                    var releases = new List<LockCall>();
                    var awaits = new List<IOperation>();
                    foreach (var operation in OperationFacts.Root(invocation).Descendants())
                    {
                        switch (operation)
                        {
                            case IInvocationOperation other when ThreadAffineLocks.MayBeLockCall(other.TargetMethod.Name):
                                if (state.Locks.Classify(other) is { IsAcquire: false } release) releases.Add(release);
                                break;
                            case IAwaitOperation:
                            case IForEachLoopOperation { IsAsynchronous: true }:
                            case IUsingOperation { IsAsynchronous: true }:
                                awaits.Add(operation);
                                break;
                        }
                    }

                    if (awaits.Count > 0) Analyze(c, acquire, releases, awaits);
                },
                OperationKind.Invocation);
        });
    }

    /// <summary>The per-compilation state: the lock table.</summary>
    private sealed record CompilationState(ThreadAffineLocks Locks);

    private static void Analyze(OperationAnalysisContext context, LockCall acquire, List<LockCall> releases, List<IOperation> awaits)
    {
        var function = AsyncContext.GetEnclosingFunction(acquire.Invocation, context.ContainingSymbol);
        var acquireEnd = acquire.Invocation.Syntax.Span.End;

        // Only code that can run after the acquire: the nearest block around it.
        TextSpan? reach = null;
        for (var parent = acquire.Invocation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IBlockOperation block) { reach = block.Syntax.Span; break; }
            if (parent.Parent is null) reach = parent.Syntax.Span;
        }

        // Where a matching release has certainly run: after it, in the block where it is unconditional
        // (a release in a finally covers the code after the try).
        var released = new List<(TextSpan Scope, int Start)>();
        foreach (var release in releases)
        {
            if (release.Kind != acquire.Kind || release.Invocation.Syntax.SpanStart < acquireEnd) continue;
            if (!SyntaxFactoryEquivalent(release.Target, acquire.Target)) continue;
            if (!SymbolEqualityComparer.Default.Equals(AsyncContext.GetEnclosingFunction(release.Invocation, context.ContainingSymbol), function)) continue;
            if (Coverage(release.Invocation) is { } coverage) released.Add(coverage);
        }

        IOperation? first = null;
        foreach (var candidate in awaits)
        {
            var position = candidate.Syntax.SpanStart;
            if (position < acquireEnd || reach is not { } span || !span.Contains(position)) continue;
            if (first is not null && first.Syntax.SpanStart <= position) continue;
            if (!SymbolEqualityComparer.Default.Equals(AsyncContext.GetEnclosingFunction(candidate, context.ContainingSymbol), function)) continue;
            if (released.Exists(r => r.Scope.Contains(position) && position >= r.Start)) continue;
            first = candidate;
        }

        if (first is null) return;

        // The await goes in an additional location, not in the message: a message that carries a
        // line number would change (and break SARIF baselines) whenever code above it moves.
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.AGD0005_LockAcrossAwait,
            acquire.Invocation.Syntax.GetLocation(),
            new[] { AwaitLocation(first) },
            acquire.Display));
    }

    /// <summary>The await expression, or the <c>await foreach</c> / <c>await using</c> keywords of a statement.</summary>
    private static Location AwaitLocation(IOperation awaitLike) => awaitLike.Syntax switch
    {
        CommonForEachStatementSyntax { AwaitKeyword.RawKind: not 0 } loop =>
            Location.Create(loop.SyntaxTree, TextSpan.FromBounds(loop.AwaitKeyword.SpanStart, loop.ForEachKeyword.Span.End)),
        UsingStatementSyntax { AwaitKeyword.RawKind: not 0 } statement =>
            Location.Create(statement.SyntaxTree, TextSpan.FromBounds(statement.AwaitKeyword.SpanStart, statement.UsingKeyword.Span.End)),
        var syntax => syntax.GetLocation(),
    };

    private static bool SyntaxFactoryEquivalent(SyntaxNode? a, SyntaxNode? b) =>
        a is null || b is null ? a is null && b is null : a.IsEquivalentTo(b, topLevel: false);

    /// <summary>
    /// The span after a release in which the lock is certainly released: the rest of the block in
    /// which the release is unconditional. A release in a finally block covers the code after the
    /// try; a release under <c>if (lockTaken)</c> or <c>if (rw.IsWriteLockHeld)</c> counts as unconditional.
    /// </summary>
    private static (TextSpan Scope, int Start)? Coverage(IOperation release)
    {
        var start = release.Syntax.Span.End;
        var child = release;
        for (var parent = release.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IBlockOperation block when block.Parent is ITryOperation tryOperation && tryOperation.Finally == block:
                    start = tryOperation.Syntax.Span.End;
                    child = tryOperation;
                    parent = tryOperation;
                    continue;
                case IBlockOperation block:
                    return (block.Syntax.Span, start);
                case IConditionalOperation conditional when child == conditional.WhenTrue && IsHeldCheck(conditional.Condition):
                    continue;
                case IConditionalOperation conditional when child != conditional.Condition:
                case ILoopOperation:
                case ISwitchCaseOperation:
                case ICatchClauseOperation:
                case IConditionalAccessOperation:
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr }:
                case IAnonymousFunctionOperation:
                case ILocalFunctionOperation:
                    return null;
            }
        }

        return (child.Syntax.Span, start);
    }

    /// <summary><c>lockTaken</c>, <c>rw.IsWriteLockHeld</c>, <c>Monitor.IsEntered(x)</c>: "release only if held".</summary>
    private static bool IsHeldCheck(IOperation condition)
    {
        condition = OperationFacts.StripConversions(condition);
        return condition switch
        {
            ILocalReferenceOperation or IParameterReferenceOperation => true,
            IPropertyReferenceOperation { Property.Name: var name } => name.EndsWith("Held", System.StringComparison.Ordinal),
            IInvocationOperation { TargetMethod.Name: "IsEntered" } => true,
            _ => false,
        };
    }
}
