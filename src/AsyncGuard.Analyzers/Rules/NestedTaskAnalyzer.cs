using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AsyncGuard.Rules;

/// <summary>
/// Flags <c>Task.Factory.StartNew</c>, <c>ContinueWith</c> and <c>new Task&lt;Task&gt;</c> given
/// an async delegate (AGD0014) when the resulting <c>Task&lt;Task&gt;</c> is used as the task of
/// the work: awaited once, converted to <c>Task</c>, or waited on. The outer task completes at
/// the delegate's first await. <c>await await</c> and <c>.Unwrap()</c> stay silent.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NestedTaskAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the fix the call allows (<see cref="TaskRunFix"/> or <see cref="UnwrapFix"/>).</summary>
    public const string FixProperty = "Fix";

    /// <summary><c>Task.Factory.StartNew</c> with default options: <c>Task.Run</c> does the same and unwraps.</summary>
    public const string TaskRunFix = "TaskRun";

    /// <summary>Append <c>.Unwrap()</c>.</summary>
    public const string UnwrapFix = "Unwrap";

    private enum Use
    {
        Other,
        Plain,
        Unwrapped,
    }

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.AGD0014_NestedTask);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.From(start.Compilation) is not { TaskOfT: not null, TaskFactory: not null } symbols) return;
            var testCode = TestCode.For(start.Compilation, start.Options);
            if (testCode.SilencesEverywhere(SupportedDiagnostics)) return;
            var state = new CompilationState(symbols, symbols.Lookup("System.Threading.Tasks.TaskScheduler"));
            start.RegisterOperationAction(c => { if (!testCode.Silences(Descriptors.AGD0014_NestedTask, c.Operation.Syntax.SyntaxTree)) AnalyzeInvocation(c, state); }, OperationKind.Invocation);
            start.RegisterOperationAction(c => { if (!testCode.Silences(Descriptors.AGD0014_NestedTask, c.Operation.Syntax.SyntaxTree)) AnalyzeCreation(c, symbols); }, OperationKind.ObjectCreation);
        });
    }

    /// <summary>The per-compilation state: the symbols and TaskScheduler.</summary>
    private sealed record CompilationState(KnownSymbols Symbols, INamedTypeSymbol? Scheduler);

    private static void AnalyzeInvocation(OperationAnalysisContext context, CompilationState state)
    {
        var (symbols, scheduler) = (state.Symbols, state.Scheduler);
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        var isStartNew = method.Name == "StartNew" && SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.TaskFactory);
        var isContinueWith = method.Name == "ContinueWith" && symbols.IsTaskType(method.ContainingType) && !method.IsStatic;
        if (!isStartNew && !isContinueWith) return;
        if (!IsNestedTask(invocation.Type, symbols)) return;
        if (!IsUsedAsPlainTask(invocation, context.ContainingSymbol)) return;
        if (isContinueWith && ContinuationShape.ReturnsAntecedent(invocation)) return;

        var fix = isStartNew && IsDefaultStartNew(invocation, symbols, scheduler) ? TaskRunFix : UnwrapFix;
        var location = invocation.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access }
            ? access.Name.GetLocation()
            : invocation.Syntax.GetLocation();
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.AGD0014_NestedTask,
            location,
            ImmutableDictionary<string, string?>.Empty.Add(FixProperty, fix),
            method.Name,
            invocation.Type!.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
            fix == TaskRunFix ? "use 'Task.Run', which unwraps async delegates" : "call '.Unwrap()' to get the task of the work"));
    }

    private static void AnalyzeCreation(OperationAnalysisContext context, KnownSymbols symbols)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (!IsNestedTask(creation.Type, symbols)) return;
        if (!IsUsedAsPlainTask(creation, context.ContainingSymbol)) return;

        var location = creation.Syntax is ObjectCreationExpressionSyntax syntax ? syntax.Type.GetLocation() : creation.Syntax.GetLocation();
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.AGD0014_NestedTask,
            location,
            "new " + creation.Type!.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
            creation.Type!.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
            "start it, then await the inner task ('await await task') or use 'Task.Run'"));
    }

    /// <summary>Task&lt;Task&gt; or Task&lt;Task&lt;T&gt;&gt;.</summary>
    private static bool IsNestedTask(ITypeSymbol? type, KnownSymbols symbols) =>
        type is INamedTypeSymbol { TypeArguments.Length: 1 } named
        && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, symbols.TaskOfT)
        && KnownSymbols.InheritsFrom(named.TypeArguments[0], symbols.Task)
        && !HasErrorType(named);

    private static bool HasErrorType(ITypeSymbol type) =>
        type.TypeKind == TypeKind.Error
        || (type is INamedTypeSymbol named && named.TypeArguments.Any(HasErrorType));

    /// <summary>
    /// True when the value (or the local it initializes) is used as if it were the work's task,
    /// and never unwrapped or awaited twice.
    /// </summary>
    private static bool IsUsedAsPlainTask(IOperation operation, ISymbol? containingSymbol)
    {
        var use = Classify(operation, out var local);
        if (use == Use.Plain) return true;
        if (local is null) return false;

        // A local: look at every read of it in the body around it.
        var root = operation;
        while (root.Parent is not null) root = root.Parent;
        var plain = false;
        foreach (var descendant in root.Descendants())
        {
            if (descendant is not ILocalReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Local, local)) continue;
            switch (Classify(reference, out _))
            {
                case Use.Plain:
                    plain = true;
                    break;
                case Use.Unwrapped:
                    return false;
            }
        }

        return plain;
    }

    private static Use Classify(IOperation operation, out ILocalSymbol? initializedLocal)
    {
        initializedLocal = null;
        var parent = operation.Parent;
        while (parent is IParenthesizedOperation) parent = parent.Parent;
        var value = operation;

        // .ConfigureAwait(...) keeps the shape: look at what is done with it.
        if (parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure && configure.Instance == value)
        {
            value = configure;
            parent = configure.Parent;
        }

        switch (parent)
        {
            case IAwaitOperation awaitOperation:
                // 'await t;' waits for the outer task only; 'await await t' or using the result is the caller unwrapping.
                return awaitOperation.Parent is IExpressionStatementOperation ? Use.Plain : Use.Unwrapped;
            case IConversionOperation { IsImplicit: true, Type: INamedTypeSymbol { TypeArguments.Length: 0, Name: "Task" } }:
                return Use.Plain;
            case IInvocationOperation { TargetMethod.Name: "Wait" } wait when wait.Instance == value:
                return Use.Plain;
            case IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "Unwrap" } }:
            case IPropertyReferenceOperation { Property.Name: "Result" }:
            case IInvocationOperation { TargetMethod.Name: "GetAwaiter" or "ContinueWith" }:
                return Use.Unwrapped;
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                initializedLocal = declarator.Symbol;
                return Use.Other;
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when assignment.Value == operation:
                initializedLocal = target.Local;
                return Use.Other;
            default:
                return Use.Other;
        }
    }

    /// <summary>
    /// <c>Task.Factory.StartNew(func[, token][, options][, scheduler])</c> where the options are
    /// None or DenyChildAttach and the scheduler is TaskScheduler.Default: what Task.Run does.
    /// </summary>
    private static bool IsDefaultStartNew(IInvocationOperation invocation, KnownSymbols symbols, INamedTypeSymbol? scheduler)
    {
        if (invocation.Instance is not IPropertyReferenceOperation { Property: { Name: "Factory", IsStatic: true } factory }
            || !SymbolEqualityComparer.Default.Equals(factory.ContainingType, symbols.Task)) return false;

        foreach (var argument in invocation.Arguments)
        {
            var parameter = argument.Parameter;
            if (parameter is null) return false;
            if (parameter.Ordinal == 0)
            {
                if (parameter.Type is not INamedTypeSymbol { DelegateInvokeMethod.Parameters.Length: 0 }) return false;
                continue;
            }

            if (symbols.IsCancellationToken(parameter.Type)) continue;
            if (SymbolEqualityComparer.Default.Equals(parameter.Type, symbols.TaskCreationOptions))
            {
                // None = 0, DenyChildAttach = 8.
                if (argument.Value.ConstantValue is { HasValue: true, Value: 0 or 8 }) continue;
                return false;
            }

            if (scheduler is not null && SymbolEqualityComparer.Default.Equals(parameter.Type, scheduler)
                && argument.Value is IPropertyReferenceOperation { Property: { Name: "Default", IsStatic: true } property }
                && SymbolEqualityComparer.Default.Equals(property.ContainingType, scheduler))
            {
                continue;
            }

            return false;
        }

        return true;
    }
}
