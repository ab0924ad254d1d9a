namespace AsyncGuard.Rules;

/// <summary>
/// Flags <c>await Task.WhenAny(...)</c> whose other tasks are left running unobserved (AGD0015):
/// tasks created inline or held only by a local that is never used again, and a
/// <c>Task.Delay</c> without a token used as a timeout, when no token source is cancelled
/// after the race; and a local collection of tasks built, raced once outside a loop and never used
/// again. Other collections, fields, parameters and locals used later stay silent.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class WhenAnyLosersAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableHashSet<string> CancelMethods = ImmutableHashSet.Create("Cancel", "CancelAsync", "CancelAfter");

    private static readonly ImmutableHashSet<string> CloseMethods = ImmutableHashSet.Create("Dispose", "DisposeAsync", "Close", "CloseAsync", "Abort", "Shutdown");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.AGD0015_WhenAnyLosers);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.From(start.Compilation) is not { Task: { } task } symbols) return;
            var testCode = TestCode.For(start.Compilation, start.Options);
            if (testCode.SilencesEverywhere(SupportedDiagnostics)) return;
            start.RegisterOperationAction(c => { if (!testCode.Silences(Descriptors.AGD0015_WhenAnyLosers, c.Operation.Syntax.SyntaxTree)) AnalyzeInvocation(c, symbols, task); }, OperationKind.Invocation);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, KnownSymbols symbols, INamedTypeSymbol task)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (method.Name != "WhenAny" || !method.IsStatic || !SymbolEqualityComparer.Default.Equals(method.ContainingType, task)) return;
        if (!IsAwaited(invocation)) return;

        IOperation top = invocation;
        while (top.Parent is not null) top = top.Parent;

        var elements = Elements(invocation);
        if (elements is null)
        {
            // A local collection filled, raced once and dropped: the rest keep running.
            if (AbandonedCollection(invocation, top) && !StopsLosers(top, invocation, symbols))
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.AGD0015_WhenAnyLosers, invocation.Syntax.GetLocation(), "Task.WhenAny", "the other tasks"));
            }

            return;
        }

        if (elements.Count < 2) return;

        var hasUntokenizedDelay = false;
        var losers = 0;
        foreach (var element in elements)
        {
            switch (element)
            {
                case IInvocationOperation { TargetMethod.Name: "Delay" } delay when SymbolEqualityComparer.Default.Equals(delay.TargetMethod.ContainingType, task):
                    if (delay.Arguments.Any(a => symbols.IsCancellationToken(a.Value.Type) && a.ArgumentKind != ArgumentKind.DefaultValue)) continue;
                    hasUntokenizedDelay = true;
                    losers++;
                    break;
                case IInvocationOperation or IObjectCreationOperation:
                    losers++;
                    break;
                case ILocalReferenceOperation local:
                    if (!IsUsedElsewhere(local.Local, top, invocation)) losers++;
                    break;
            }
        }

        if (losers == 0) return;
        if (StopsLosers(top, invocation, symbols)) return;

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.AGD0015_WhenAnyLosers,
            invocation.Syntax.GetLocation(),
            "Task.WhenAny",
            hasUntokenizedDelay ? "the timed-out work and the Task.Delay timer" : "the other tasks"));
    }

    /// <summary><c>await Task.WhenAny(...)</c>, possibly through <c>.ConfigureAwait(...)</c>.</summary>
    private static bool IsAwaited(IOperation invocation)
    {
        var parent = invocation.Parent;
        while (parent is IParenthesizedOperation) parent = parent.Parent;
        if (parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure && configure.Instance == invocation) parent = configure.Parent;
        return parent is IAwaitOperation;
    }

    /// <summary>The tasks written out as arguments, or null for a collection (a loop that keeps them, most often).</summary>
    private static List<IOperation>? Elements(IInvocationOperation invocation)
    {
        var result = new List<IOperation>();
        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.ParamArray)
            {
                if (argument.Value is not IArrayCreationOperation { Initializer: { } initializer }) return null;
                result.AddRange(initializer.ElementValues.Select(e => OperationFacts.StripConversions(e, implicitOnly: true)));
            }
            else if (argument.Value.Type is IArrayTypeSymbol || argument.Parameter?.Type is IArrayTypeSymbol
                || argument.Parameter?.Type.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T
                || argument.Parameter?.Type.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)
            {
                return null;
            }
            else if (argument.Parameter?.Type is INamedTypeSymbol { IsGenericType: true } generic && generic.Name == "ReadOnlySpan")
            {
                return null;
            }
            else
            {
                result.Add(OperationFacts.StripConversions(argument.Value, implicitOnly: true));
            }
        }

        return result;
    }

    /// <summary>
    /// <c>await Task.WhenAny(tasks)</c> over a local array or list that is only built before the race
    /// (initializer, <c>Add</c>/<c>AddRange</c>, element writes) and never used after it, outside any
    /// loop (the loop shape races again with the rest), not returned, stored, passed or captured.
    /// </summary>
    private static bool AbandonedCollection(IInvocationOperation whenAny, IOperation top)
    {
        if (whenAny.Arguments.Length != 1
            || OperationFacts.StripConversions(whenAny.Arguments[0].Value) is not ILocalReferenceOperation { Local: var local }) return false;
        for (var current = whenAny.Parent; current is not null; current = current.Parent)
        {
            if (current is ILoopOperation) return false;
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation) break;
        }

        var span = whenAny.Syntax.Span;
        var fresh = false;
        foreach (var descendant in top.Descendants())
        {
            if (descendant is IVariableDeclaratorOperation declarator && SymbolEqualityComparer.Default.Equals(declarator.Symbol, local))
            {
                fresh = declarator.Initializer is { Value: { } value } && IsFreshCollection(value);
                continue;
            }

            if (descendant is not ILocalReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Local, local)) continue;
            if (span.Contains(reference.Syntax.Span)) continue;
            if (reference.Syntax.SpanStart > span.End) return false;
            var consumer = OperationFacts.ConsumerOf(reference, implicitOnly: true);
            var builds = consumer switch
            {
                IInvocationOperation { TargetMethod.Name: "Add" or "AddRange" } add => add.Instance is not null && OperationFacts.StripConversions(add.Instance) == reference,
                IArrayElementReferenceOperation element => element.Parent is ISimpleAssignmentOperation assignment && assignment.Target == element,
                IPropertyReferenceOperation { Property.IsIndexer: true } indexer => indexer.Parent is ISimpleAssignmentOperation assignment && assignment.Target == indexer,
                ISimpleAssignmentOperation assignment => assignment.Target == reference,
                _ => false,
            };
            if (!builds) return false;
        }

        return fresh;
    }

    /// <summary>
    /// A collection made here, holding tasks nobody else keeps: <c>new List&lt;Task&gt;()</c>, an array,
    /// or <c>source.Select(...).ToList()</c>/<c>ToArray()</c>; not a copy of a collection kept
    /// elsewhere (<c>remaining.ToArray()</c>).
    /// </summary>
    private static bool IsFreshCollection(IOperation value)
    {
        value = OperationFacts.StripConversions(value);
        if (value is IArrayCreationOperation or IObjectCreationOperation) return true;
        return value is IInvocationOperation { TargetMethod.Name: "ToList" or "ToArray" } copy
            && (copy.Instance ?? (copy.Arguments.Length > 0 ? copy.Arguments[0].Value : null)) is { } source
            && OperationFacts.StripConversions(source) is IInvocationOperation { TargetMethod.Name: "Select" };
    }

    /// <summary>
    /// True when the local is read anywhere but in this WhenAny and in comparisons with its
    /// result: awaited, passed on, stored, queried, or assigned again.
    /// </summary>
    private static bool IsUsedElsewhere(ILocalSymbol local, IOperation top, IOperation whenAny)
    {
        var span = whenAny.Syntax.Span;
        var fresh = false;
        foreach (var descendant in top.Descendants())
        {
            if (descendant is IVariableDeclaratorOperation declarator && SymbolEqualityComparer.Default.Equals(declarator.Symbol, local))
            {
                fresh = declarator.Initializer is { Value: { } value } && IsFreshCollection(value);
                continue;
            }

            if (descendant is not ILocalReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Local, local)) continue;
            if (span.Contains(reference.Syntax.Span)) continue;
            if (OperationFacts.ConsumerOf(reference, implicitOnly: true) is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals }) continue;
            return true;
        }

        return false;
    }

    /// <summary>
    /// True when the function stops the losers some other way: it cancels a token source
    /// (anywhere, a pump's <c>finally</c> included), closes or disposes something after the race
    /// (the streams of a relay), or runs the race inside a <c>using</c> of a resource that is not
    /// a token source (disposing a connection ends the I/O on it).
    /// </summary>
    private static bool StopsLosers(IOperation top, IOperation whenAny, KnownSymbols symbols)
    {
        var source = symbols.CancellationTokenSource;
        var end = whenAny.Syntax.Span.End;
        foreach (var descendant in top.Descendants())
        {
            if (descendant is IInvocationOperation call)
            {
                var method = call.TargetMethod;
                if (CancelMethods.Contains(method.Name) && KnownSymbols.InheritsFrom(method.ContainingType, source)) return true;
                if (!method.IsStatic && CloseMethods.Contains(method.Name) && call.Syntax.SpanStart > end) return true;
            }
            else if (descendant is IUsingOperation usingOperation
                && usingOperation.Body.Syntax.Span.Contains(whenAny.Syntax.Span)
                && !DeclaresTokenSource(usingOperation.Resources, source))
            {
                return true;
            }
            else if (descendant is IUsingDeclarationOperation declaration
                && declaration.Syntax.Span.End <= whenAny.Syntax.SpanStart
                && declaration.Syntax.Parent is { } block && block.Span.Contains(whenAny.Syntax.Span)
                && !DeclaresTokenSource(declaration.DeclarationGroup, source))
            {
                return true;
            }
        }

        return false;
    }

    private static bool DeclaresTokenSource(IOperation resources, INamedTypeSymbol? source) => resources switch
    {
        IVariableDeclarationGroupOperation group => group.Declarations.SelectMany(d => d.Declarators).All(d => KnownSymbols.InheritsFrom(d.Symbol.Type, source)),
        _ => KnownSymbols.InheritsFrom(resources.Type, source),
    };
}
