using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace AsyncGuard.Rules;

/// <summary>
/// Flags blocking waits on tasks: <c>.Result</c>, <c>.Wait(...)</c>, <c>.GetAwaiter().GetResult()</c>,
/// <c>Task.WaitAll</c> and <c>Task.WaitAny</c>. In async code (AGD0003) they hold the thread that
/// <c>await</c> would give back; in synchronous code (AGD0004) they risk deadlock and starvation.
/// Silent where the task is provably complete by simple flow inside the same method.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingWaitAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: which form of wait was found (one of the <c>Shape*</c> constants).</summary>
    public const string ShapeProperty = "Shape";

    public const string ShapeResult = "Result";
    public const string ShapeGetResult = "GetResult";
    public const string ShapeWait = "Wait";
    public const string ShapeWaitWithArguments = "WaitWithArguments";
    public const string ShapeWaitAll = "WaitAll";
    public const string ShapeWaitAny = "WaitAny";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.AGD0003_BlockingWaitInAsync, Descriptors.AGD0004_BlockingWaitInSync);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.From(start.Compilation) is not { } symbols) return;
            var testCode = TestCode.For(start.Compilation, start.Options);
            if (testCode.SilencesEverywhere(SupportedDiagnostics)) return;
            var waits = new WaitSymbols(symbols);
            // Waits are rare: each is checked where it is found, and the completion facts of its
            // operation block are built once, on the first wait that needs them.
            var factsByRoot = new ConditionalWeakTable<IOperation, CompletionFacts>();
            start.RegisterOperationAction(
                c =>
                {
                    if (testCode.SilencesAll(SupportedDiagnostics, c.Operation.Syntax.SyntaxTree)) return;
                    if (Classify(c.Operation, waits) is not { } candidate) return;
                    if (DualPath.IsSyncPath(candidate.Operation, candidate.Task)) return;
                    if (candidate.Task is { } task)
                    {
                        var root = OperationRoot.Of(candidate.Operation);
                        var facts = factsByRoot.GetValue(root, r => CompletionFacts.Build(ImmutableArray.Create(r), waits));
                        if (facts.IsComplete(task, candidate.Operation) || CompletionGuards.IsProvenComplete(task, candidate.Operation, symbols)) return;
                    }

                    var inAsync = AsyncContext.IsAsyncContext(candidate.Operation, c.ContainingSymbol, symbols);
                    var descriptor = inAsync ? Descriptors.AGD0003_BlockingWaitInAsync : Descriptors.AGD0004_BlockingWaitInSync;
                    if (testCode.Silences(descriptor, candidate.Location)) return;
                    c.ReportDiagnostic(Diagnostic.Create(
                        descriptor,
                        candidate.Location,
                        ImmutableDictionary<string, string?>.Empty.Add(ShapeProperty, candidate.Shape),
                        candidate.Call,
                        candidate.Alternative));
                },
                OperationKind.PropertyReference,
                OperationKind.Invocation);
        });
    }

    /// <summary>A blocking wait found in the block, with the task it waits for (null for WaitAll/WaitAny).</summary>
    private sealed record Candidate(IOperation Operation, IOperation? Task, string Shape, string Call, string Alternative, Location Location);

    private static Candidate? Classify(IOperation operation, WaitSymbols waits)
    {
        switch (operation)
        {
            case IPropertyReferenceOperation { Property.Name: "Result", Instance: { } instance } property
                when waits.IsResultType(property.Property.ContainingType):
                if (IsInNameOf(operation) || IsTriviallyComplete(instance, waits)) return null;
                return new Candidate(operation, instance, ShapeResult, property.Property.ContainingType.OriginalDefinition.Name + "<T>.Result", "await", NameToEnd(operation.Syntax));

            case IInvocationOperation invocation:
                return ClassifyInvocation(invocation, waits) is { } candidate && !IsInNameOf(invocation) ? candidate : null;
        }

        return null;
    }

    private static Candidate? ClassifyInvocation(IInvocationOperation invocation, WaitSymbols waits)
    {
        var method = invocation.TargetMethod;
        switch (method.Name)
        {
            case "Wait" when !method.IsStatic && invocation.Instance is { } instance && waits.Symbols.IsTaskType(method.ContainingType):
                if (invocation.Arguments.Length > 0 && IsZeroTimeout(invocation.Arguments[0].Value, waits)) return null;
                if (IsTriviallyComplete(instance, waits)) return null;
                return new Candidate(
                    invocation,
                    instance,
                    invocation.Arguments.Length == 0 ? ShapeWait : ShapeWaitWithArguments,
                    "Task.Wait",
                    invocation.Arguments.Length == 0 ? "await" : "await WaitAsync",
                    NameToEnd(invocation.Syntax));

            case "GetResult" when invocation.Arguments.Length == 0
                && invocation.Instance is IInvocationOperation { TargetMethod.Name: "GetAwaiter", Arguments.Length: 0, Instance: { } awaitable } getAwaiter
                && (waits.Symbols.IsTaskType(awaitable.Type) || waits.IsConfiguredAwaitable(awaitable.Type)):
                var task = StripConfigureAwait(awaitable);
                if (IsTriviallyComplete(task, waits)) return null;
                return new Candidate(invocation, task, ShapeGetResult, "GetAwaiter().GetResult()", "await", NameToEnd(getAwaiter.Syntax, invocation.Syntax));

            case "WaitAll" or "WaitAny" when method.IsStatic && SymbolEqualityComparer.Default.Equals(method.ContainingType, waits.Symbols.Task):
                if (invocation.Arguments.Length > 1 && IsZeroTimeout(invocation.Arguments[1].Value, waits)) return null;
                var all = method.Name == "WaitAll";
                return new Candidate(
                    invocation,
                    null,
                    all ? ShapeWaitAll : ShapeWaitAny,
                    all ? "Task.WaitAll" : "Task.WaitAny",
                    all ? "await Task.WhenAll" : "await Task.WhenAny",
                    invocation.Syntax.GetLocation());
        }

        return null;
    }

    /// <summary>From the member name to the end of <paramref name="end"/>: <c>Result</c>, <c>Wait(x)</c>, <c>GetAwaiter().GetResult()</c>.</summary>
    private static Location NameToEnd(SyntaxNode start, SyntaxNode? end = null)
    {
        end ??= start;
        SyntaxNode target = start is InvocationExpressionSyntax invocation ? invocation.Expression : start;
        var nameStart = target switch
        {
            MemberAccessExpressionSyntax access => access.Name.SpanStart,
            MemberBindingExpressionSyntax binding => binding.Name.SpanStart,
            _ => start.SpanStart,
        };
        return Location.Create(end.SyntaxTree, TextSpan.FromBounds(nameStart, end.Span.End));
    }

    private static bool IsInNameOf(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is INameOfOperation) return true;
        }

        return false;
    }

    /// <summary><c>Wait(0)</c> and <c>Wait(TimeSpan.Zero)</c> probe without blocking.</summary>
    private static bool IsZeroTimeout(IOperation argument, WaitSymbols waits) =>
        argument.ConstantValue is { HasValue: true, Value: 0 }
        || (argument is IFieldReferenceOperation { Field: { Name: "Zero", IsStatic: true } field }
            && SymbolEqualityComparer.Default.Equals(field.ContainingType, waits.Symbols.TimeSpan));

    internal static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation { Operand: { } operand }) operation = operand;
        return operation;
    }

    internal static IOperation StripConfigureAwait(IOperation operation)
    {
        operation = Unwrap(operation);
        if (operation is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } instance }) return Unwrap(instance);
        return operation;
    }

    /// <summary><c>Task.FromResult(x)</c>, <c>Task.CompletedTask</c>, <c>default(ValueTask)</c>: complete by construction.</summary>
    internal static bool IsTriviallyComplete(IOperation operation, WaitSymbols waits)
    {
        operation = StripConfigureAwait(operation);
        return operation switch
        {
            IInvocationOperation { TargetMethod: { IsStatic: true, Name: "FromResult" or "FromException" or "FromCanceled" } method }
                => waits.Symbols.IsTaskType(method.ContainingType),
            IPropertyReferenceOperation { Property: { IsStatic: true, Name: "CompletedTask" } property }
                => waits.Symbols.IsTaskType(property.ContainingType),
            IDefaultValueOperation { Type: { } type } => waits.Symbols.IsTaskType(type) && type.IsValueType,
            IObjectCreationOperation { Type: { IsValueType: true } type, Arguments: var arguments }
                => waits.Symbols.IsTaskType(type) && (arguments.Length == 0 || !waits.Symbols.IsTaskType(arguments[0].Value.Type)),
            _ => false,
        };
    }
}

/// <summary>The symbols of the blocking-wait rules, resolved once per compilation.</summary>
internal sealed class WaitSymbols
{
    public WaitSymbols(KnownSymbols symbols)
    {
        Symbols = symbols;
        Debug = symbols.Lookup("System.Diagnostics.Debug");
    }

    public KnownSymbols Symbols { get; }

    public INamedTypeSymbol? Debug { get; }

    public bool IsResultType(INamedTypeSymbol? type) =>
        type is not null
        && (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, Symbols.TaskOfT)
            || SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, Symbols.ValueTaskOfT));

    public bool IsConfiguredAwaitable(ITypeSymbol? type) =>
        type is INamedTypeSymbol named
        && (SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, Symbols.ConfiguredTaskAwaitable)
            || SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, Symbols.ConfiguredTaskAwaitableOfT)
            || SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, Symbols.ConfiguredValueTaskAwaitable)
            || SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, Symbols.ConfiguredValueTaskAwaitableOfT));
}
