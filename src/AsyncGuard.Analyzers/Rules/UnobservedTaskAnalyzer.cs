using System;

namespace AsyncGuard.Rules;

/// <summary>
/// Flags tasks that nobody observes: a task-like value used as a statement where the
/// compiler's CS4014 does not already warn (AGD0010), and a local that receives a task and is
/// never read again (AGD0011). Either way the work's failure, or its end, goes unseen.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnobservedTaskAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Methods whose returned task is fire-and-forget by design, before the user's list.</summary>
    public static readonly ImmutableArray<string> DefaultForgetMethods =
        ImmutableArray.Create("Forget", "FireAndForget", "SafeFireAndForget");

    // NSubstitute's call-verification entry points: 'sub.Received().SendAsync()' checks a call, it starts nothing.
    private static readonly ImmutableHashSet<string> VerificationReceivers =
        ImmutableHashSet.Create(StringComparer.Ordinal, "Received", "DidNotReceive", "ReceivedWithAnyArgs", "DidNotReceiveWithAnyArgs");

    // NSubstitute's 'sub.When(x => x.SendAsync()).Do(...)': the lambda names a call to configure.
    private static readonly ImmutableHashSet<string> ConfigurationMethods =
        ImmutableHashSet.Create(StringComparer.Ordinal, "When", "WhenForAnyArgs");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.AGD0010_UnobservedTask, Descriptors.AGD0011_UnobservedTaskLocal);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.From(start.Compilation) is not { } symbols) return;
            var testCode = TestCode.For(start.Compilation, start.Options);
            if (testCode.SilencesEverywhere(SupportedDiagnostics)) return;
            var state = new CompilationState(symbols, new OptionCache<ImmutableHashSet<string>>(static (options, tree) => DefaultForgetMethods
                .Concat(Options.GetList(options, tree, Options.AGD0010.ForgetMethods))
                .ToImmutableHashSet(StringComparer.Ordinal)));
            start.RegisterOperationAction(c => { if (!testCode.Silences(Descriptors.AGD0010_UnobservedTask, c.Operation.Syntax.SyntaxTree)) AnalyzeStatement(c, state); }, OperationKind.ExpressionStatement);
            start.RegisterOperationAction(c => { if (!testCode.Silences(Descriptors.AGD0011_UnobservedTaskLocal, c.Operation.Syntax.SyntaxTree)) AnalyzeLocal(c, symbols); }, OperationKind.VariableDeclarator);
        });
    }

    /// <summary>The per-compilation state: the symbols and the forget-method option cache.</summary>
    private sealed record CompilationState(KnownSymbols Symbols, OptionCache<ImmutableHashSet<string>> ForgetMethods);

    private static void AnalyzeStatement(OperationAnalysisContext context, CompilationState state)
    {
        var (symbols, forgetMethods) = (state.Symbols, state.ForgetMethods);
        var statement = (IExpressionStatementOperation)context.Operation;
        var value = statement.Operation;
        if (value is not (IInvocationOperation or IObjectCreationOperation or IConditionalAccessOperation)) return;
        if (!symbols.IsAwaitable(value.Type)) return;

        var function = AsyncContext.GetEnclosingFunction(statement, context.ContainingSymbol);

        // CS4014 already reports an unawaited call inside an async function.
        if (value is IInvocationOperation && function is IMethodSymbol { IsAsync: true }) return;

        var invocation = value switch
        {
            IInvocationOperation call => call,
            IConditionalAccessOperation conditional => Innermost(conditional),
            _ => null,
        };

        if (invocation is not null)
        {
            var method = invocation.TargetMethod;

            // A method generic in what it returns (Interlocked.Exchange, GetOrAdd, Dequeue, First)
            // hands back a task made and kept elsewhere; dropping that reference loses nothing.
            if (method.MethodKind != MethodKind.DelegateInvoke && method.OriginalDefinition.ReturnType is ITypeParameterSymbol) return;
            if (IsForgetMethod(method, forgetMethods.Get(context.Options, statement.Syntax.SyntaxTree))) return;
            if (invocation.Instance is IInvocationOperation { TargetMethod.Name: var receiver } && VerificationReceivers.Contains(receiver)) return;
            if (IsFaultObserver(invocation, symbols)) return;
        }

        if (statement.IsImplicit && IsMockConfiguration(statement)) return;
        if (PeerSuppression.IsSuppressedByPeer(statement.Syntax, PeerSuppression.DroppedTaskIds)) return;

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.AGD0010_UnobservedTask,
            value.Syntax.GetLocation(),
            Describe(value, invocation)));
    }

    private static IInvocationOperation? Innermost(IConditionalAccessOperation conditional)
    {
        var current = conditional.WhenNotNull;
        while (current is IConditionalAccessOperation nested) current = nested.WhenNotNull;
        return current as IInvocationOperation;
    }

    private static string Describe(IOperation value, IInvocationOperation? invocation)
    {
        if (invocation is not null)
        {
            var method = invocation.TargetMethod;
            if (method.MethodKind == MethodKind.DelegateInvoke)
                return invocation.Instance?.Syntax.ToString() ?? method.ContainingType.Name;
            if (method.Name == "ConfigureAwait" && invocation.Instance is IInvocationOperation { TargetMethod: var inner })
                return $"{inner.ContainingType.Name}.{inner.Name}";
            return $"{method.ContainingType.Name}.{method.Name}";
        }

        return value.Type is { } type ? $"new {type.Name}" : value.Syntax.ToString();
    }

    private static bool IsForgetMethod(IMethodSymbol method, ImmutableHashSet<string> names)
    {
        if (names.Contains(method.Name)) return true;
        var type = method.ContainingType?.OriginalDefinition;
        if (type is null) return false;
        if (names.Contains(type.Name + "." + method.Name)) return true;
        var fullName = type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat.WithGenericsOptions(SymbolDisplayGenericsOptions.None));
        return names.Contains(fullName + "." + method.Name);
    }

    /// <summary>
    /// <c>task.ContinueWith(t => Log(t.Exception), ...)</c> or a continuation that runs only on
    /// fault: the statement exists to observe the antecedent's failure.
    /// </summary>
    private static bool IsFaultObserver(IInvocationOperation invocation, KnownSymbols symbols)
    {
        var method = invocation.TargetMethod;
        if (method.Name != "ContinueWith" || !symbols.IsTaskType(method.ContainingType)) return false;
        foreach (var argument in invocation.Arguments)
        {
            var argumentValue = OperationFacts.StripConversions(argument.Value);
            if (argumentValue.ConstantValue is { HasValue: true, Value: int flags }
                && SymbolEqualityComparer.Default.Equals(argument.Parameter?.Type, symbols.TaskContinuationOptions)
                && (flags & 0x50000) == 0x50000)
            {
                return true; // OnlyOnFaulted
            }

            if (argumentValue is IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda }
                && lambda.Symbol.Parameters.Length > 0)
            {
                var antecedent = lambda.Symbol.Parameters[0];
                foreach (var descendant in lambda.Body.Descendants())
                {
                    if (descendant is IPropertyReferenceOperation { Property.Name: "Exception" or "IsFaulted", Instance: IParameterReferenceOperation reference }
                        && SymbolEqualityComparer.Default.Equals(reference.Parameter, antecedent))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>The expression body of <c>sub.When(x => x.SendAsync())</c>: it names a call, it does not make one.</summary>
    private static bool IsMockConfiguration(IOperation statement)
    {
        for (var current = statement.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation)
            {
                var argument = current.Parent is IDelegateCreationOperation creation ? creation.Parent : current.Parent;
                return argument is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: var name } } && ConfigurationMethods.Contains(name);
            }
        }

        return false;
    }

    /// <summary>
    /// AGD0011: a local whose initializer makes a task and which is never read afterwards.
    /// Any read counts as observing it (awaited, returned, passed, stored, queried, captured),
    /// so a local that escapes in any way is never reported. Such locals are few: the block
    /// around one is searched for a read only when one is declared.
    /// </summary>
    private static void AnalyzeLocal(OperationAnalysisContext context, KnownSymbols symbols)
    {
        var declarator = (IVariableDeclaratorOperation)context.Operation;
        if (declarator.Initializer?.Value is not { } initial) return;
        if (declarator.Symbol is not { IsRef: false, Name: not "_" } local) return;
        if (OperationFacts.StripConversions(initial) is not (IInvocationOperation or IObjectCreationOperation or IConditionalAccessOperation)) return;
        if (!symbols.IsAwaitable(local.Type)) return;

        foreach (var operation in OperationFacts.Root(declarator).Descendants())
        {
            if (operation is ILocalReferenceOperation { IsDeclaration: false } reference
                && !(reference.Parent is ISimpleAssignmentOperation assignment && assignment.Target == reference)
                && SymbolEqualityComparer.Default.Equals(reference.Local, local)) return;
        }

        if (declarator.Syntax is not { } syntax) return;
        var location = syntax is Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax variable
            ? variable.Identifier.GetLocation()
            : syntax.GetLocation();
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.AGD0011_UnobservedTaskLocal, location, local.Name));
    }
}
