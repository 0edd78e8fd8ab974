"""The seed story: Chile's president-elect José Antonio Kast visits El Salvador's CECOT mega-prison before
meeting President Nayib Bukele (Friday 20 November 2026 in our fiction), plus its follow-ups.

All texts are written for the test web. The Spanish wire text (``WIRE_ES``) of the Agencia Continental de
Noticias is reprinted verbatim by El Faro del Sur (Chile) and Diario Morazánico (Honduras, under another
headline) and in a lightly edited form by Diario Tiquicia (Costa Rica).
"""

from __future__ import annotations

STORY = "kast-cecot"

# --- the wire original (Spanish service of the Agencia Continental de Noticias) --------------------------

WIRE_ES_TITLE = "Kast recorre la megacárcel de Bukele antes de reunirse con el mandatario salvadoreño"

WIRE_ES = [
    "SAN SALVADOR, 20 nov (ACN) - El presidente electo de Chile, José Antonio Kast, recorrió este viernes el "
    "Centro de Confinamiento del Terrorismo (CECOT), la megacárcel construida por el Gobierno de Nayib Bukele, "
    "antes de una reunión privada con el mandatario salvadoreño en la que ambos abordarán estrategias contra "
    "el crimen organizado.",
    "Kast llegó en helicóptero al penal, ubicado en Tecoluca, a unos 75 kilómetros al este de la capital, "
    "acompañado por quien será su ministro de Seguridad. Antes de aterrizar publicó en la red social X una "
    "fotografía a bordo de la aeronave.",
    "«Necesitamos importar buenas ideas y propuestas para combatir el crimen organizado, el narcotráfico y el "
    "terrorismo», escribió el político ultraderechista, que asumirá el cargo en los próximos meses tras una "
    "campaña centrada en la seguridad.",
    "La Presidencia salvadoreña informó en un comunicado que el equipo del próximo gobierno chileno busca "
    "conocer de primera mano el modelo de seguridad del país para evaluar cómo podría adaptarse a la realidad "
    "de Chile. «Estamos listos para trabajar de la mano con nuestros hermanos chilenos», añadió el texto.",
    "En declaraciones breves a la prensa en la entrada del recinto, Kast dijo que el sistema penitenciario "
    "salvadoreño forma parte de un engranaje judicial y de seguridad más amplio, que permite aislar por "
    "completo a los responsables de delitos graves. Aclaró, sin embargo, que su visita tenía como objetivo "
    "«estudiarlo y comprenderlo, no necesariamente replicarlo de la misma forma».",
    "El CECOT, con capacidad para 40.000 reclusos, ha sido objeto de fuertes críticas internacionales por sus "
    "condiciones. En cada celda permanecen entre 65 y 70 presos, que no reciben visitas ni salen al aire "
    "libre, y el penal no ofrece talleres ni programas educativos o de reinserción.",
    "La organización Socorro Jurídico Humanitario informó esta semana que al menos 480 personas han muerto "
    "bajo custodia desde que Bukele decretó el régimen de excepción a comienzos de 2022. La cárcel ganó "
    "notoriedad internacional este año, cuando el Gobierno de Estados Unidos deportó a más de 200 venezolanos "
    "para ser recluidos allí.",
    "El modelo salvadoreño se ha convertido en una referencia para políticos de derecha en la región. El "
    "presidente de Costa Rica, Rodrigo Chaves, colocó recientemente la primera piedra de una cárcel de máxima "
    "seguridad inspirada en el CECOT, mientras que Honduras ha propuesto levantar una prisión para pandilleros "
    "en una isla remota y Ecuador y Guatemala han adoptado sus propias medidas contra las pandillas.",
    "Tras reunirse con el gabinete de seguridad salvadoreño y recorrer uno de los módulos de celdas, Kast "
    "tenía previsto un encuentro privado con Bukele en Casa Presidencial durante la tarde.",
]


def _edited_wire() -> list[str]:
    """Diario Tiquicia's light edit: a few words changed, one paragraph dropped, one sentence added."""
    paras = list(WIRE_ES)
    edits = [
        (1, "a unos 75 kilómetros al este de la capital", "a unos 75 kilómetros de San Salvador"),
        (2, "el político ultraderechista", "el político de ultraderecha"),
        (5, "ha sido objeto de fuertes críticas internacionales", "ha recibido duras críticas internacionales"),
    ]
    for index, old, new in edits:
        assert old in paras[index], old
        paras[index] = paras[index].replace(old, new)
    paras[7] += (
        " En Costa Rica, la obra se levanta en terrenos contiguos al complejo penitenciario de La Reforma, en "
        "Alajuela, y el Gobierno estima que estará terminada a finales de 2028."
    )
    del paras[6]  # the Socorro Jurídico paragraph
    return paras


WIRE_ES_EDITED = _edited_wire()

ARTICLES: list[dict] = [
    # ---- wire original, Spanish ---------------------------------------------------------------------------
    {
        "key": "acn-es-kast-cecot",
        "outlet": "agencia-continental",
        "story": STORY,
        "path": "/noticias/2026-11-20/kast-recorre-megacarcel-bukele",
        "section": "america-latina",
        "title": WIRE_ES_TITLE,
        "authors": ["María Fernanda Ríos"],
        "published": "2026-11-20T11:52:00-05:00",
        "modified": "2026-11-20T13:10:00-05:00",
        "page_dates": ["json-ld", "meta", "text"],
        "in_feed": True,
        "in_sitemap": True,
        "summary": ("El presidente electo de Chile visitó el CECOT antes de una reunión privada con Nayib Bukele."),
        "body": WIRE_ES,
    },
    # ---- verbatim copy 1: El Faro del Sur (Chile), day-only date on the page, full time in its feed ------
    {
        "key": "faro-kast-cecot",
        "outlet": "el-faro-del-sur",
        "story": STORY,
        "path": "/mundo/kast-recorre-la-megacarcel-de-bukele/",
        "section": "mundo",
        "title": WIRE_ES_TITLE,
        "authors": ["María Fernanda Ríos"],
        "published": "2026-11-20T17:30:00-03:00",
        "page_dates": ["text"],
        "in_feed": True,
        "in_sitemap": True,
        "summary": "El presidente electo visitó el Centro de Confinamiento del Terrorismo en Tecoluca.",
        "body": WIRE_ES,
        "copy_of": "acn-es-kast-cecot",
        "source_credit": "Agencia Continental de Noticias (ACN)",
    },
    # ---- verbatim copy 2: Diario Morazánico (Honduras), other headline, no date anywhere on the page ------
    {
        "key": "morazanico-kast-cecot",
        "outlet": "diario-morazanico",
        "story": STORY,
        "path": "/mundo/kast-conoce-el-cecot-y-se-reune-con-bukele-1187234",
        "section": "mundo",
        "title": "Presidente electo chileno conoce el CECOT y se reúne con Bukele",
        "authors": [],
        "published": "2026-11-20T12:40:00-06:00",
        "page_dates": [],
        "in_feed": True,
        "in_sitemap": True,
        "summary": "José Antonio Kast recorrió la megacárcel salvadoreña.",
        "body": WIRE_ES,
        "copy_of": "acn-es-kast-cecot",
        "source_credit": "ACN",
    },
    # ---- lightly edited copy: Diario Tiquicia (Costa Rica) ---------------------------------------------------
    {
        "key": "tiquicia-kast-cecot",
        "outlet": "diario-tiquicia",
        "story": STORY,
        "path": "/internacional/2026/11/20/presidente-electo-de-chile-visita-carcel-de-bukele/",
        "section": "internacional",
        "title": "Presidente electo de Chile visita la cárcel de máxima seguridad de Bukele",
        "authors": [],
        "published": "2026-11-20T11:15:00-06:00",
        "modified": "2026-11-20T11:40:00-06:00",
        "page_dates": ["json-ld", "meta", "text"],
        "in_feed": True,
        "in_sitemap": True,
        "summary": ("Kast recorrió el CECOT; Costa Rica construye un penal inspirado en el modelo salvadoreño."),
        "body": WIRE_ES_EDITED,
        "edited_copy_of": "acn-es-kast-cecot",
        "source_credit": "Con información de ACN",
    },
    # ---- Diario La Cordillera (Chile), own text ----------------------------------------------------------
    {
        "key": "cordillera-kast-cecot",
        "outlet": "diario-cordillera",
        "story": STORY,
        "path": "/mundo/2026/11/20/kast-visita-el-cecot-necesitamos-importar-buenas-ideas/",
        "section": "mundo",
        "title": "Kast visita el CECOT en El Salvador: “Necesitamos importar buenas ideas”",
        "authors": ["Catalina Henríquez Soto"],
        "published": "2026-11-20T14:05:00-03:00",
        "page_dates": ["json-ld", "text"],
        "in_feed": True,
        "in_sitemap": True,
        "summary": ("El presidente electo recorrió la cárcel emblema de Nayib Bukele y defendió estudiar su modelo."),
        "body": [
            "El presidente electo José Antonio Kast aterrizó la mañana de este viernes en el Centro de "
            "Confinamiento del Terrorismo (CECOT), el penal de máxima seguridad que el Presidente Nayib Bukele "
            "levantó en Tecoluca y que se transformó en el símbolo de su ofensiva contra las pandillas.",
            "El líder republicano viajó desde San Salvador en un helicóptero de la Fuerza Armada salvadoreña junto "
            "a quien encabezará el Ministerio de Seguridad Pública a partir de marzo. Desde la aeronave publicó "
            "una fotografía en X con un mensaje que marcó el tono de la jornada: “Necesitamos importar buenas "
            "ideas y propuestas para combatir el crimen organizado, el narcotráfico y el terrorismo”.",
            "En un punto de prensa a las afueras del recinto, Kast insistió en que no viajó a copiar un modelo. "
            "Explicó que la cárcel es solo una pieza de un sistema que incluye cambios judiciales y policiales, y "
            "dijo que su equipo vino “a estudiarlo y comprenderlo”. Agregó que en Chile cualquier reforma pasará "
            "por el Congreso y respetará los tratados internacionales suscritos por el país.",
            "La visita no pasó inadvertida en Santiago. Diputados de oposición cuestionaron que el presidente "
            "electo se fotografíe en un penal donde, según organizaciones de derechos humanos, los internos no "
            "reciben visitas ni tienen acceso a programas de reinserción. En cambio, parlamentarios de su sector "
            "valoraron que conozca en terreno una experiencia que redujo drásticamente los homicidios.",
            "El CECOT puede albergar hasta 40 mil reos, que permanecen en celdas de entre 65 y 70 personas. La "
            "organización Socorro Jurídico Humanitario contabiliza al menos 480 muertes bajo custodia desde que "
            "en 2022 se decretó el régimen de excepción, que suspendió garantías constitucionales y permitió "
            "decenas de miles de detenciones.",
            "La comitiva chilena se reunió además con el gabinete de seguridad salvadoreño y recorrió uno de los "
            "pabellones. Para la tarde estaba fijado un encuentro privado con Bukele en Casa Presidencial, donde "
            "se espera que ambos conversen sobre cooperación policial, inteligencia penitenciaria y control de "
            "fronteras.",
            "Kast regresará a Chile durante el fin de semana. Su equipo adelantó que el lunes presentará un "
            "informe con las principales conclusiones del viaje a los partidos que apoyan al futuro "
            "gobierno.",
        ],
    },
    # ---- Diario La Cordillera follow-up (21 Nov), not in the feed ----------------------------------------------
    {
        "key": "cordillera-kast-bukele-mesa-tecnica",
        "outlet": "diario-cordillera",
        "story": STORY,
        "path": "/politica/2026/11/21/kast-cierra-gira-en-el-salvador-mesa-tecnica-con-bukele/",
        "section": "politica",
        "title": "Kast cierra su gira en El Salvador y anuncia una mesa técnica con el gobierno de Bukele",
        "authors": ["Catalina Henríquez Soto", "Tomás Valdebenito"],
        "published": "2026-11-21T09:30:00-03:00",
        "page_dates": ["json-ld", "text"],
        "in_feed": False,
        "in_sitemap": True,
        "summary": ("Tras reunirse con Nayib Bukele, el presidente electo anunció un intercambio de equipos técnicos."),
        "body": [
            "Después de casi tres horas de reunión con el Presidente Nayib Bukele en Casa Presidencial, el "
            "presidente electo José Antonio Kast anunció la noche del viernes que ambos equipos formarán una mesa "
            "técnica para compartir experiencias en gestión penitenciaria, inteligencia policial y persecución del "
            "lavado de activos.",
            "La instancia estará integrada por funcionarios salvadoreños y por profesionales que trabajarán en el "
            "futuro gobierno chileno, y sesionará por primera vez en enero. Según explicó Kast en una declaración "
            "sin preguntas, el objetivo es contar con propuestas concretas antes de su llegada a La Moneda.",
            "El presidente electo reiteró que la visita al Centro de Confinamiento del Terrorismo no significa que "
            "Chile vaya a construir una réplica del penal. Sostuvo que la realidad chilena es distinta y que las "
            "organizaciones criminales que operan en el país tienen otra estructura, con fuerte presencia de "
            "bandas transnacionales.",
            "En Santiago, la jornada siguió generando reacciones. La bancada de diputados del Frente Amplio pidió "
            "que el equipo de Kast transparente los acuerdos alcanzados y advirtió que el régimen de excepción "
            "salvadoreño ha sido cuestionado por Naciones Unidas. Desde la Unión Demócrata Independiente, en tanto, "
            "calificaron el viaje como una señal de que la seguridad será la prioridad del nuevo gobierno.",
            "Académicos consultados por este diario coincidieron en que el sistema carcelario chileno enfrenta un "
            "problema de hacinamiento que no se resuelve solo con nuevas cárceles. Recordaron que la población "
            "penal supera en miles de plazas la capacidad de los recintos y que la reinserción sigue siendo la "
            "deuda pendiente del sistema.",
            "La comitiva chilena emprendió el regreso este sábado por la mañana. Kast tiene previsto reunirse el "
            "lunes con los presidentes de los partidos de su coalición para informar sobre los resultados de la "
            "gira.",
        ],
    },
    # ---- La Prensa Cuscatleca (El Salvador), own text, numeric naive date ------------------------------------
    {
        "key": "cuscatleca-kast-cecot",
        "outlet": "prensa-cuscatleca",
        "story": STORY,
        "path": "/internacionales/presidente-electo-de-chile-recorre-el-cecot-n4518",
        "section": "internacionales",
        "title": "Presidente electo de Chile recorre el CECOT en Tecoluca",
        "authors": ["Karla Menjívar"],
        "published": "2026-11-20T10:35:00-06:00",
        "page_dates": ["text"],
        "in_feed": True,
        "in_sitemap": True,
        "summary": (
            "José Antonio Kast llegó en helicóptero al centro penal y fue recibido por el gabinete de seguridad."
        ),
        "body": [
            "El presidente electo de Chile, José Antonio Kast, llegó este viernes por la mañana al Centro de "
            "Confinamiento del Terrorismo (CECOT), en Tecoluca, San Vicente, como parte de una visita oficial que "
            "concluirá por la tarde con una reunión con el presidente Nayib Bukele.",
            "El helicóptero que trasladó a la comitiva aterrizó poco después de las 8:30 de la mañana en el "
            "helipuerto del penal, donde fue recibida por el ministro de Justicia y Seguridad y por el director de "
            "Centros Penales. Un amplio dispositivo de la Policía Nacional Civil y de la Fuerza Armada resguardó "
            "los accesos a la carretera que conduce al recinto.",
            "Según la Secretaría de Prensa de la Presidencia, el equipo del próximo gobierno chileno quiere conocer "
            "de primera mano el modelo de seguridad salvadoreño para evaluar su posible adaptación. En un breve "
            "mensaje a los periodistas, Kast dijo que su intención es estudiar el sistema y no necesariamente "
            "copiarlo.",
            "La visita incluyó un recorrido por uno de los módulos de máxima seguridad, donde permanecen los "
            "pandilleros considerados más peligrosos, y una reunión con los mandos policiales y militares que "
            "participan en el régimen de excepción vigente desde marzo de 2022.",
            "Organizaciones de derechos humanos recordaron que bajo esa medida han sido detenidas más de 80.000 "
            "personas y que cientos de familias denuncian capturas sin pruebas. Socorro Jurídico Humanitario "
            "sostiene que al menos 480 personas han muerto bajo custodia del Estado desde entonces.",
            "El CECOT fue inaugurado en 2023 y tiene capacidad para 40.000 internos. En los últimos meses se ha "
            "convertido en parada obligada para políticos y funcionarios extranjeros interesados en la estrategia "
            "de seguridad del Gobierno, que atribuye a ella la fuerte reducción de los homicidios en el "
            "país.",
        ],
    },
    # ---- La Prensa Cuscatleca: the Bukele meeting; served as latin-1 bytes under a utf-8 header --------------
    {
        "key": "cuscatleca-bukele-kast-reunion",
        "outlet": "prensa-cuscatleca",
        "story": STORY,
        "path": "/nacionales/bukele-y-kast-acuerdan-cooperacion-en-seguridad-n4523",
        "section": "nacionales",
        "title": "Bukele y Kast acuerdan cooperación en seguridad tras reunión en Casa Presidencial",
        "authors": ["Óscar Rivas Alfaro"],
        "published": "2026-11-20T19:20:00-06:00",
        "page_dates": ["time-tag", "text"],
        "in_feed": True,
        "in_sitemap": True,
        "charset": "iso-8859-1",
        "mislabeled": True,
        "summary": "Los equipos de ambos países compartirán información sobre gestión penitenciaria.",
        "body": [
            "El presidente Nayib Bukele recibió este viernes en Casa Presidencial al presidente electo de Chile, "
            "José Antonio Kast, con quien acordó crear un equipo de trabajo para compartir la experiencia "
            "salvadoreña en seguridad pública, gestión de cárceles y combate a las pandillas.",
            "La reunión se extendió por cerca de tres horas y se realizó a puerta cerrada. Al término, la "
            "Secretaría de Prensa difundió un video en el que ambos mandatarios aparecen conversando en uno de los "
            "salones del palacio, acompañados por el gabinete de seguridad salvadoreño y por los asesores del "
            "político chileno.",
            "«Chile enfrenta hoy una amenaza que El Salvador conoció muy bien», dijo Kast en una breve declaración "
            "a la salida del encuentro. El futuro mandatario agregó que su país tiene instituciones y leyes "
            "distintas, por lo que cualquier medida deberá ajustarse a esa realidad.",
            "Por la mañana, el político chileno había recorrido el Centro de Confinamiento del Terrorismo (CECOT), "
            "en Tecoluca, donde conversó con las autoridades penitenciarias y observó las condiciones en que "
            "permanecen los reos de mayor peligrosidad.",
            "Según el comunicado oficial, el equipo binacional se reunirá en enero y abordará también el "
            "intercambio de información de inteligencia sobre estructuras criminales que operan en varios países "
            "de la región. El Gobierno salvadoreño ofreció además capacitar a funcionarios chilenos en la "
            "administración de centros penales.",
            "Diputados de oposición en la Asamblea Legislativa pidieron conocer los términos del acuerdo. Señalaron "
            "que la cooperación no debería incluir prácticas que organismos internacionales han cuestionado, como "
            "la detención prolongada sin juicio de miles de personas bajo el régimen de excepción.",
        ],
    },
    # ---- ACN English service: own English text -----------------------------------------------------------------
    {
        "key": "acn-en-kast-cecot",
        "outlet": "acn-english",
        "story": STORY,
        "path": "/news/2026/11/20/chile-president-elect-tours-el-salvador-mega-prison",
        "section": "world",
        "title": "Chile’s president-elect tours El Salvador’s mega-prison ahead of talks with Bukele",
        "authors": ["Daniel Whitaker"],
        "published": "2026-11-20T12:10:00-05:00",
        "modified": "2026-11-20T15:02:00-05:00",
        "page_dates": ["json-ld", "time-tag", "text"],
        "in_feed": True,
        "in_sitemap": True,
        "summary": "José Antonio Kast visited the CECOT prison to study Nayib Bukele’s anti-gang model.",
        "body": [
            "SAN SALVADOR, Nov 20 (ACN) - Chile’s President-elect José Antonio Kast on Friday toured El "
            "Salvador’s Terrorism Confinement Center, the vast prison that has become the emblem of President "
            "Nayib Bukele’s war on gangs, hours before a private meeting with the Salvadoran leader.",
            "Kast, a hard-right politician who won Chile’s presidential runoff on promises to restore order, flew "
            "to the prison in Tecoluca by helicopter with the man expected to become his security minister. "
            "“We need to import good ideas and proposals to fight organized crime, drug trafficking and "
            "terrorism,” he wrote on X before landing.",
            "Bukele’s office said in a statement that the incoming Chilean administration wanted to learn about "
            "El Salvador’s security model firsthand and weigh how it might be adapted to Chile. “We are ready to "
            "work hand in hand with our Chilean brothers,” the statement said.",
            "Speaking briefly to reporters at the prison gate, Kast said the facility was one part of a wider "
            "legal and security system that isolates people convicted of serious crimes. He added that he had "
            "come to study and understand that system, not necessarily to replicate it.",
            "The prison, known by its Spanish acronym CECOT, can hold up to 40,000 inmates, who are packed 65 to "
            "70 to a cell, receive no visits and never go outdoors. Rights groups have documented allegations of "
            "abuse there, and the Salvadoran group Socorro Juridico Humanitario says at least 480 people have "
            "died in state custody since a state of emergency began in March 2022.",
            "The facility drew global attention this year after the United States sent more than 200 Venezuelan "
            "deportees to be held there. Politicians across Latin America have since cited it as a model: Costa "
            "Rica has started building a maximum-security prison, and Honduras has floated plans for a gang "
            "prison on a remote island.",
            "Kast’s delegation met El Salvador’s security cabinet and walked through one of the prison’s cell "
            "blocks before returning to the capital for the meeting with Bukele at the presidential palace.",
        ],
    },
    # ---- The Harbor Ledger (US), own English text; feed link carries tracking parameters ---------------------
    {
        "key": "ledger-kast-cecot",
        "outlet": "harbor-ledger",
        "story": STORY,
        "path": "/world/2026/11/20/chile-kast-bukele-prison-model.html",
        "section": "world",
        "title": "Chile’s Kast studies Bukele’s prison model as crime politics reshape Latin America",
        "authors": ["Rebecca Lindqvist"],
        "published": "2026-11-20T14:05:00-05:00",
        "modified": "2026-11-20T16:18:00-05:00",
        "page_dates": ["meta", "text"],
        "in_feed": True,
        "in_sitemap": True,
        "feed_query": "?utm_source=rss&utm_medium=feed",
        "summary": (
            "The Chilean president-elect’s visit to El Salvador’s CECOT shows how far Bukele’s model has spread."
        ),
        "body": [
            "When José Antonio Kast stepped off a military helicopter outside El Salvador’s most notorious prison "
            "on Friday morning, the Chilean president-elect became the latest in a line of Latin American "
            "politicians to make the pilgrimage to Nayib Bukele’s Terrorism Confinement Center.",
            "Kast, who takes office in Santiago next year after a campaign built almost entirely around crime, "
            "toured a cell block and met El Salvador’s security cabinet before heading to a private meeting with "
            "Bukele. He told reporters he had come to study the system, not to copy it wholesale, and that any "
            "changes in Chile would have to pass through its Congress.",
            "The trip underlines how a prison once seen as an outlier has become a reference point for the "
            "region’s right. Costa Rica’s government has broken ground on a maximum-security facility modeled on "
            "the Salvadoran one, Honduras has proposed holding gang leaders on a remote Caribbean island, and "
            "candidates in Ecuador and Guatemala have promised their own versions.",
            "The model has also been embraced in Washington. Earlier this year the Trump administration deported "
            "more than 200 Venezuelan men to the facility, a move that drew lawsuits in federal court and "
            "criticism from Democrats in Congress, who argued that the men had been sent abroad without "
            "meaningful due process.",
            "Human rights organizations paint a grim picture of the prison, which can hold 40,000 inmates. "
            "Detainees sleep on metal bunks in cells shared by as many as 70 people, are denied family visits and "
            "have no access to education or work programs. A Salvadoran legal aid group says at least 480 people "
            "have died in custody since the country suspended constitutional rights in 2022.",
            "Supporters counter that the results speak for themselves. El Salvador, once among the deadliest "
            "countries in the world, now reports homicide rates lower than those of most of its neighbors, and "
            "Bukele remains one of the most popular leaders in the hemisphere.",
            "For Kast, analysts said, the visit was as much about signaling as about policy. “He is telling his "
            "voters that he will be tough,” said Marisol Echeverría, a Latin America analyst at a Washington "
            "research group. “The harder question is what Chile’s institutions will actually allow him to "
            "do.”",
        ],
    },
]
