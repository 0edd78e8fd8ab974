"""Unrelated stories of the same days, and one hard negative.

Stories: ``chile-copper-strike``, ``cr-coffee-harvest``, ``us-rates``, ``honduras-storm`` (each covered by
two or three outlets) and ``honduras-island-prison``: same topic as the seed story (gang prisons modelled on
El Salvador's) but a different event, which must never be clustered with ``kast-cecot``.
"""

from __future__ import annotations

ARTICLES: list[dict] = [
    # ================================ chile-copper-strike ================================================
    {
        "key": "cordillera-huelga-quebrada-honda",
        "outlet": "diario-cordillera",
        "story": "chile-copper-strike",
        "path": "/economia/2026/11/19/trabajadores-de-quebrada-honda-inician-huelga-indefinida/",
        "section": "economia",
        "title": "Trabajadores de la mina Quebrada Honda inician huelga indefinida",
        "authors": ["Ignacio Fuenzalida"],
        "published": "2026-11-19T08:15:00-03:00",
        "page_dates": ["json-ld", "text"],
        "in_feed": True,
        "in_sitemap": True,
        "summary": "El sindicato rechazó la última oferta de Minera Altiplano y paralizó la faena.",
        "body": [
            "Los cerca de 2.300 trabajadores de la mina de cobre Quebrada Honda, en la Región de Antofagasta, "
            "iniciaron este jueves a primera hora una huelga indefinida luego de rechazar la última oferta de "
            "contrato colectivo presentada por Minera Altiplano.",
            "La votación, realizada el miércoles en la sede del sindicato en Calama, terminó con un 91% de los "
            "socios a favor de paralizar. El dirigente Hernán Araya explicó que la empresa no mejoró el bono de "
            "término de conflicto ni el reajuste salarial, y acusó a la compañía de ignorar el alza del costo de la "
            "vida en las ciudades mineras.",
            "Minera Altiplano, que produce unas 310.000 toneladas de cobre fino al año, lamentó la decisión en un "
            "comunicado y sostuvo que su propuesta era la mejor de la industria en los últimos tres años. La "
            "empresa activó un plan de contingencia para mantener los servicios mínimos y la seguridad de las "
            "instalaciones.",
            "La paralización se produce en un momento delicado para el sector. El precio del metal se ha mantenido "
            "sobre los cuatro dólares por libra durante noviembre, impulsado por la demanda asociada a la "
            "transición energética, y cada día de huelga implica pérdidas estimadas en 9 millones de dólares para "
            "la compañía.",
            "La Dirección del Trabajo convocó a ambas partes a una mediación que podría comenzar el lunes. Mientras "
            "tanto, los trabajadores instalaron un campamento en el acceso principal de la faena, a unos 40 "
            "kilómetros de Calama, y anunciaron que no bloquearán la carretera.",
            "Economistas advirtieron que una huelga prolongada podría restar algunas décimas al crecimiento de las "
            "exportaciones mineras del último trimestre, aunque el impacto en el precio internacional sería "
            "acotado.",
        ],
    },
    {
        "key": "faro-huelga-quebrada-honda",
        "outlet": "el-faro-del-sur",
        "story": "chile-copper-strike",
        "path": "/pais/sindicatos-del-biobio-apoyan-huelga-en-quebrada-honda/",
        "section": "pais",
        "title": "Sindicatos del Biobío anuncian apoyo a la huelga de los mineros de Quebrada Honda",
        "authors": ["Valentina Cifuentes"],
        "published": "2026-11-19",
        "page_dates": ["text"],
        "in_feed": False,
        "in_sitemap": True,
        "sitemap_precision": "day",
        "malformed": True,
        "summary": "La CUT regional y los portuarios de Talcahuano se sumaron a las muestras de apoyo.",
        "body": [
            "La huelga que mantienen desde este jueves los trabajadores de la mina de cobre Quebrada Honda, en el "
            "norte del país, sumó el respaldo de las principales organizaciones sindicales del Biobío, que "
            "anunciaron una colecta y un acto de apoyo en Concepción.",
            "La Central Unitaria de Trabajadores regional informó que el sábado realizará una jornada en la Plaza "
            "de la Independencia para reunir fondos destinados a las familias de los huelguistas. Su presidenta, "
            "Marcela Vidal, afirmó que lo que está en juego en el norte es el valor del trabajo en todo "
            "Chile.",
            "Los trabajadores portuarios de Talcahuano y San Vicente, por donde sale parte de los insumos que "
            "utiliza la minería, también expresaron su solidaridad, aunque descartaron por ahora paralizar las "
            "faenas en los terminales.",
            "Minera Altiplano sostiene que su oferta incluía un reajuste real del 3% y un bono de 18 millones de "
            "pesos por trabajador. El sindicato, en cambio, exige un reajuste mayor y mejoras en los turnos, que "
            "considera excesivos para faenas ubicadas sobre los 3.000 metros de altura.",
            "En la región, la industria forestal y la siderurgia siguen con atención el conflicto. Dirigentes de "
            "empresas contratistas locales advirtieron que una paralización larga en la minería termina afectando "
            "a proveedores de todo el país, incluidos talleres metalmecánicos de Coronel y Hualpén.",
            "La mediación de la Dirección del Trabajo comenzaría la próxima semana en Antofagasta.",
            "En Concepción, el seremi del Trabajo llamó a las partes a retomar el diálogo cuanto antes y "
            "recordó que la región también depende de la actividad minera a través de sus puertos y de su "
            "industria metalmecánica. Agregó que el Gobierno no intervendrá mientras el proceso siga los "
            "cauces que establece la ley.",
        ],
    },
    {
        "key": "acn-en-quebrada-honda-strike",
        "outlet": "acn-english",
        "story": "chile-copper-strike",
        "path": "/news/2026/11/19/workers-strike-at-chile-quebrada-honda-copper-mine",
        "section": "business",
        "title": "Workers strike at Chile’s Quebrada Honda copper mine after wage talks fail",
        "authors": ["Lucía Ferrer"],
        "published": "2026-11-19T15:40:00-05:00",
        "page_dates": ["json-ld", "time-tag", "text"],
        "in_feed": True,
        "in_sitemap": True,
        "summary": ("About 2,300 workers walked off the job at the Quebrada Honda copper mine in northern Chile."),
        "body": [
            "SANTIAGO, Nov 19 (ACN) - Some 2,300 workers at the Quebrada Honda copper mine in northern Chile went "
            "on strike on Thursday after rejecting a final wage offer from operator Minera Altiplano, the union "
            "said.",
            "The stoppage at the mine, which produces about 310,000 metric tons of copper a year, comes as prices "
            "of the metal hover above $4 a pound on strong demand from power grids and electric vehicles. Chile "
            "is the world’s largest copper producer.",
            "Union leader Hernan Araya said the company had refused to improve its proposed signing bonus and "
            "wage increase. “Our members have carried this mine through good and bad years, and they expect to "
            "share in the good ones,” he told ACN by telephone from Calama.",
            "Minera Altiplano said in a statement that its offer was the most generous in the industry in three "
            "years and that it had activated a contingency plan to keep the site safe. It did not say whether "
            "production had been halted entirely.",
            "Chile’s labor authority has called both sides to mediation, which could start as early as Monday. "
            "Analysts said a prolonged strike could tighten concentrate supply at a time when smelters in Asia "
            "are already competing for material.",
            "Shares of companies with exposure to Chilean copper were little changed in New York trading.",
            "The mine sits at about 3,000 meters above sea level in the Antofagasta region, the heart of "
            "Chile’s copper industry. Workers there typically work seven-day shifts followed by seven days "
            "off, and the union has also demanded changes to the rotation, which it says leaves too little "
            "time for rest.",
            "Strikes at large Chilean mines are usually settled within a few weeks, often with improved "
            "bonuses. A 2017 stoppage at another major mine in the same region lasted 44 days.",
        ],
    },
    # ================================ cr-coffee-harvest ===================================================
    {
        "key": "tiquicia-cosecha-cafe",
        "outlet": "diario-tiquicia",
        "story": "cr-coffee-harvest",
        "path": "/economia/2026/11/18/cosecha-de-cafe-arranca-con-escasez-de-recolectores/",
        "section": "economia",
        "title": "Cosecha de café arranca con escasez de recolectores en la zona de Los Santos",
        "authors": ["Andrea Solís Mora"],
        "published": "2026-11-18T07:00:00-06:00",
        "page_dates": ["meta", "text"],
        "in_feed": False,
        "in_sitemap": True,
        "charset": "iso-8859-1",
        "summary": "Productores de Tarrazú y Dota temen que parte del grano se pierda en las plantas.",
        "body": [
            "La recolección de café de la cosecha 2026-2027 comenzó en firme esta semana en la zona de Los Santos, "
            "pero los productores de Tarrazú, Dota y León Cortés advierten que no han logrado reunir a suficientes "
            "recolectores para levantar el grano a tiempo.",
            "Según la Cámara de Cafetaleros de la región, faltan al menos 4.000 personas para atender el pico de "
            "maduración, que se espera entre mediados de diciembre y enero. Tradicionalmente, buena parte de la "
            "mano de obra llega desde Nicaragua y Panamá, pero este año el flujo de trabajadores ha sido "
            "menor.",
            "«Tenemos las plantas cargadas y el precio es bueno, pero si no hay quien coja el café, se nos cae al "
            "suelo», resumió Gerardo Ureña, productor de San Marcos de Tarrazú, quien paga 1.600 colones por cajuela "
            "y aun así no completa su cuadrilla.",
            "El Instituto del Café estima que la cosecha nacional alcanzará unos 1,6 millones de fanegas, un "
            "aumento cercano al 6% respecto al periodo anterior, gracias a lluvias más regulares durante la "
            "floración. Los Santos aporta cerca de un tercio de esa producción y concentra los cafés de mayor "
            "precio en el mercado internacional.",
            "Las autoridades migratorias anunciaron que agilizarán los permisos temporales para trabajadores "
            "agrícolas y que instalarán oficinas móviles en la frontera sur durante diciembre. Los productores "
            "piden, además, mejorar los albergues y el transporte para atraer a familias costarricenses.",
            "En los beneficios de la zona, la recepción de fruta avanza con normalidad y la calidad del grano es "
            "calificada como excelente. La preocupación, insisten los caficultores, es únicamente la falta de "
            "brazos.",
        ],
    },
    {
        "key": "acn-es-cafe-costa-rica",
        "outlet": "agencia-continental",
        "story": "cr-coffee-harvest",
        "path": "/noticias/2026-11-18/costa-rica-preve-cosecha-cafe-mayor",
        "section": "economia",
        "title": "Costa Rica prevé una cosecha de café 6% mayor pese a la falta de mano de obra",
        "authors": ["Esteban Quirós"],
        "published": "2026-11-18T13:20:00-05:00",
        "page_dates": ["json-ld", "meta", "text"],
        "in_feed": True,
        "in_sitemap": True,
        "summary": "El Instituto del Café proyecta 1,6 millones de fanegas para la cosecha 2026-2027.",
        "body": [
            "SAN JOSÉ, 18 nov (ACN) - Costa Rica espera recoger alrededor de 1,6 millones de fanegas de café en la "
            "cosecha 2026-2027, un 6% más que en la temporada anterior, aunque los productores alertaron de que la "
            "escasez de recolectores podría impedir levantar todo el grano.",
            "El Instituto del Café atribuyó la mejora a un régimen de lluvias más estable durante la floración y a "
            "la renovación de cafetales impulsada en los últimos años con créditos de fomento.",
            "Los cafetaleros de la zona de Los Santos, al sur de la capital, calculan que les faltan unos 4.000 "
            "trabajadores para el pico de la recolección. La mayor parte de la mano de obra estacional proviene de "
            "Nicaragua y de comunidades indígenas panameñas.",
            "El Gobierno anunció que simplificará los permisos laborales temporales y que habilitará oficinas "
            "móviles de migración en la frontera. Las organizaciones de productores pidieron, además, una campaña "
            "para atraer a jóvenes costarricenses durante las vacaciones escolares.",
            "El café es uno de los principales productos agrícolas de exportación del país centroamericano, cuyo "
            "grano arábica lavado se cotiza con primas elevadas en los mercados de especialidad de Estados Unidos, "
            "Europa y Asia.",
            "Los precios internacionales del arábica se mantienen altos tras las malas cosechas de Brasil y "
            "Vietnam, lo que ha mejorado los ingresos de los pequeños productores costarricenses.",
            "Según el Instituto del Café, alrededor de 90% de las fincas cafetaleras del país son de "
            "pequeños productores, con menos de cinco hectáreas, que entregan el grano a cooperativas y "
            "beneficios privados. Muchas de esas familias dependen de la cosecha para cubrir sus gastos de "
            "todo el año.",
        ],
    },
    # ================================ us-rates ============================================================
    {
        "key": "ledger-fed-rates",
        "outlet": "harbor-ledger",
        "story": "us-rates",
        "path": "/business/2026/11/18/fed-officials-signal-patience-on-rate-cuts.html",
        "section": "business",
        "title": "Fed officials signal patience on further rate cuts as inflation lingers",
        "authors": ["Michael Okafor"],
        "published": "2026-11-18T16:30:00-05:00",
        "page_dates": ["time-tag", "text"],
        "in_feed": True,
        "in_sitemap": True,
        "summary": ("Minutes of the central bank’s latest meeting show broad support for slowing the pace of easing."),
        "body": [
            "Federal Reserve officials broadly agreed at their most recent meeting that they could afford to be "
            "patient before lowering interest rates again, according to minutes released Wednesday, as inflation "
            "has proved stickier than many had expected.",
            "The record shows that most participants saw the central bank’s benchmark rate as closer to a neutral "
            "setting after a series of cuts, and that several wanted clearer evidence that price growth was "
            "returning to the 2 percent target before acting further.",
            "“Many participants noted that the committee was well positioned to wait for additional data,” the "
            "minutes said, echoing language used by officials in speeches over the past month.",
            "Consumer prices rose 2.9 percent in the year through October, driven by housing and services costs. "
            "At the same time, hiring has cooled and the unemployment rate has edged up, leaving policymakers "
            "balancing two risks.",
            "Investors trimmed bets on a December cut after the release. Futures markets implied roughly a one-in-"
            "three chance of a move next month, down from about even odds a week earlier, and the yield on the "
            "two-year Treasury note rose to its highest level since September.",
            "For households, the message is that borrowing costs are likely to stay elevated into next year. "
            "Average rates on 30-year mortgages have hovered above 6 percent this fall, and credit card rates "
            "remain near record highs.",
            "The Fed’s next policy meeting is scheduled for mid-December, when officials will also publish new "
            "economic projections.",
            "Some economists said the minutes reflected a committee that is divided less over direction "
            "than over timing. “Nobody is talking about raising rates,” said Janet Ferreira, an economist "
            "at a regional bank. “The debate is whether to cut again in December or wait until the spring.”",
        ],
    },
    {
        "key": "acn-en-treasury-yields",
        "outlet": "acn-english",
        "story": "us-rates",
        "path": "/news/2026/11/18/treasury-yields-rise-after-fed-minutes",
        "section": "business",
        "title": "Treasury yields rise after Fed minutes point to slower pace of rate cuts",
        "authors": ["Priya Raman"],
        "published": "2026-11-18T17:05:00-05:00",
        "page_dates": ["json-ld", "time-tag", "text"],
        "in_feed": True,
        "in_sitemap": True,
        "summary": "Two-year yields climbed as traders pared bets on a December cut.",
        "body": [
            "NEW YORK, Nov 18 (ACN) - U.S. Treasury yields rose on Wednesday after minutes of the Federal "
            "Reserve’s latest policy meeting showed officials in no hurry to cut interest rates again while "
            "inflation stays above target.",
            "The yield on the two-year note, which is sensitive to expectations for monetary policy, climbed 7 "
            "basis points to 3.91 percent, its highest close since September. The 10-year yield added 4 basis "
            "points to 4.36 percent.",
            "The minutes said most policymakers judged that the committee could wait for more data before "
            "easing further, and several warned that cutting too quickly risked undoing progress on "
            "inflation.",
            "“The bar for a December move just got higher,” said Alan Brecher, chief rates strategist at a "
            "New York brokerage. “The market had gotten ahead of the Fed again.”",
            "Traders now price roughly a 35 percent chance of a quarter-point reduction at the Dec. 15-16 "
            "meeting, compared with nearly 50 percent a week ago, according to futures data.",
            "Stocks pared early gains after the release, and the dollar strengthened against the euro and the "
            "yen. Markets will be closed on Thursday for the Thanksgiving holiday.",
            "Earlier in the day, government data showed that orders for long-lasting manufactured goods "
            "rose more than expected in October, while weekly jobless claims fell to their lowest level in "
            "two months, adding to the picture of an economy that is slowing only gradually.",
            "Mortgage rates, which track longer-term Treasury yields, have held above 6 percent for most of "
            "the year. The Mortgage Bankers Association said applications for home purchase loans fell 3 "
            "percent last week.",
        ],
    },
    # ================================ honduras-storm ======================================================
    {
        "key": "morazanico-tormenta-ximena",
        "outlet": "diario-morazanico",
        "story": "honduras-storm",
        "path": "/nacionales/tormenta-tropical-ximena-inundaciones-valle-de-sula-1187102",
        "section": "nacionales",
        "title": "Tormenta tropical Ximena deja inundaciones y miles de evacuados en el valle de Sula",
        "authors": ["Juan Carlos Midence"],
        "published": "2026-11-19T18:00:00-06:00",
        "page_dates": ["json-ld", "text"],
        "in_feed": True,
        "in_sitemap": True,
        "summary": "Copeco declaró alerta roja en Cortés y Yoro por el desbordamiento del río Ulúa.",
        "body": [
            "Las lluvias de la tormenta tropical Ximena provocaron este jueves el desbordamiento de los ríos Ulúa "
            "y Chamelecón, que inundaron colonias y campos agrícolas del valle de Sula y obligaron a evacuar a más "
            "de 6.000 personas.",
            "La Comisión Permanente de Contingencias (Copeco) declaró alerta roja para los departamentos de Cortés "
            "y Yoro, y alerta amarilla para Atlántida, Santa Bárbara y Colón. En San Pedro Sula y La Lima se "
            "habilitaron 34 albergues en escuelas e iglesias.",
            "Según el último informe oficial, tres personas murieron: dos arrastradas por la corriente de una "
            "quebrada en Choloma y un hombre que quedó atrapado en su vehículo en el bordo de El Progreso. Otras "
            "cuatro personas continúan desaparecidas.",
            "Los productores de banano y palma africana reportaron daños en cientos de manzanas de cultivo. La "
            "carretera CA-13, que conecta San Pedro Sula con la costa norte, permanecía cerrada en dos puntos por "
            "derrumbes y por el agua que cubría la calzada.",
            "El Centro de Estudios Atmosféricos prevé que Ximena, que avanza lentamente hacia el noroeste, deje "
            "lluvias intensas al menos hasta el sábado. Las autoridades pidieron a los pobladores de zonas bajas "
            "atender las órdenes de evacuación y no cruzar ríos ni quebradas crecidas.",
            "Vecinos de la colonia Rivera Hernández dijeron que el agua alcanzó más de un metro de altura en "
            "cuestión de minutos y que muchos perdieron sus enseres. La alcaldía anunció brigadas de limpieza "
            "para cuando bajen los niveles.",
            "En Tegucigalpa, el Gobierno convocó a una reunión del Sistema Nacional de Gestión de Riesgos y "
            "anunció el envío de alimentos, colchonetas y agua potable a los albergues del norte del país.",
        ],
    },
    {
        "key": "cuscatleca-lluvias-oriente",
        "outlet": "prensa-cuscatleca",
        "story": "honduras-storm",
        "path": "/nacionales/lluvias-de-ximena-obligan-a-evacuar-familias-en-el-oriente-n4521",
        "section": "nacionales",
        "title": "Lluvias de Ximena obligan a evacuar a familias en la zona oriental",
        "authors": ["Karla Menjívar"],
        "published": None,
        "page_dates": [],
        "date_text": "fecha: pronto",
        "in_feed": False,
        "in_sitemap": False,
        "summary": "Protección Civil abrió albergues en San Miguel, Morazán y La Unión.",
        "body": [
            "Protección Civil ordenó la evacuación de unas 400 familias de comunidades cercanas al río Grande de "
            "San Miguel y al río Goascorán por las lluvias asociadas a la tormenta tropical Ximena, que afecta "
            "con mayor intensidad a la vecina Honduras.",
            "El director de la institución informó que se habilitaron doce albergues en San Miguel, Morazán y La "
            "Unión, y que equipos de rescate permanecen desplegados en los puntos donde históricamente se "
            "registran desbordamientos.",
            "En el municipio de Pasaquina, el agua cubrió tramos de la carretera hacia la frontera de El Amatillo, "
            "por lo que se suspendió temporalmente el tránsito de carga pesada. Las autoridades aduaneras pidieron "
            "a los transportistas esperar en las zonas de estacionamiento habilitadas.",
            "El Ministerio de Medio Ambiente mantiene la alerta naranja para la zona oriental y alerta amarilla "
            "para el resto del país. Los pronósticos indican que las lluvias continuarán al menos durante las "
            "próximas 48 horas, con acumulados que podrían superar los 150 milímetros en zonas montañosas.",
            "Hasta el momento no se reportan víctimas en territorio salvadoreño, aunque sí daños en viviendas de "
            "bahareque y en cultivos de granos básicos. Las autoridades recomendaron a la población no cruzar "
            "quebradas y atender los avisos oficiales.",
            "En San Miguel, la alcaldía suspendió las clases en las escuelas que funcionan como albergue y "
            "organizó brigadas para repartir alimentos y agua. Vecinos de la colonia Milagro de la Paz "
            "relataron que el río creció durante la madrugada y que algunas familias salieron con lo que "
            "llevaban puesto.",
            "Cuerpos de socorro recordaron que las lluvias de los últimos días han saturado los suelos, por "
            "lo que existe riesgo de deslizamientos en las laderas del volcán de San Miguel y en la zona "
            "norte de Morazán.",
        ],
    },
    {
        "key": "acn-es-tormenta-ximena",
        "outlet": "agencia-continental",
        "story": "honduras-storm",
        "path": "/noticias/2026-11-19/tormenta-ximena-muertos-honduras-el-salvador",
        "section": "america-latina",
        "title": "Tormenta Ximena deja al menos tres muertos y miles de evacuados en Honduras",
        "authors": ["Esteban Quirós"],
        "published": "2026-11-19T21:15:00-05:00",
        "page_dates": ["json-ld", "meta", "text"],
        "in_feed": True,
        "in_sitemap": True,
        "summary": "Las lluvias desbordaron los ríos Ulúa y Chamelecón en el norte hondureño.",
        "body": [
            "TEGUCIGALPA, 19 nov (ACN) - Al menos tres personas murieron y más de 6.000 fueron evacuadas en el "
            "norte de Honduras por las lluvias de la tormenta tropical Ximena, que desbordaron los ríos Ulúa y "
            "Chamelecón, informaron las autoridades.",
            "La agencia de gestión de riesgos, Copeco, decretó alerta roja en los departamentos de Cortés y Yoro, "
            "donde se encuentran San Pedro Sula, la principal ciudad industrial del país, y extensas plantaciones "
            "de banano y palma.",
            "En El Salvador, Protección Civil evacuó a cientos de familias en la zona oriental, fronteriza con "
            "Honduras, aunque no se reportaron víctimas. En Guatemala y Nicaragua se emitieron avisos por lluvias "
            "intensas.",
            "Los meteorólogos prevén que el sistema, que se desplaza lentamente, continúe descargando lluvias "
            "sobre Centroamérica hasta el fin de semana, con riesgo de deslizamientos en zonas montañosas.",
            "Honduras es uno de los países más vulnerables del mundo a fenómenos climáticos extremos. En 2020, los "
            "huracanes Eta e Iota dejaron cerca de un centenar de muertos y daños millonarios en el valle "
            "de Sula.",
            "El Gobierno hondureño dijo que tiene alimentos y suministros preparados para los albergues y pidió a "
            "la población seguir las indicaciones de los cuerpos de socorro.",
            "Las autoridades aeroportuarias de San Pedro Sula informaron de retrasos en algunos vuelos, "
            "mientras que la Empresa Nacional Portuaria suspendió temporalmente las operaciones de carga en "
            "Puerto Cortés por el fuerte oleaje.",
            "Organismos de ayuda humanitaria con presencia en el país dijeron que tienen equipos listos "
            "para apoyar la distribución de agua y kits de higiene si las inundaciones se extienden.",
        ],
    },
    # ================================ honduras-island-prison (hard negative) =============================
    {
        "key": "morazanico-carcel-islas-del-cisne",
        "outlet": "diario-morazanico",
        "story": "honduras-island-prison",
        "path": "/nacionales/inicia-construccion-de-carcel-para-pandilleros-en-islas-del-cisne-1187301",
        "section": "nacionales",
        "title": "Gobierno inicia construcción de cárcel para pandilleros en las Islas del Cisne",
        "authors": ["Gabriela Zelaya"],
        "published": "2026-11-21T08:00:00-06:00",
        "page_dates": ["text"],
        "in_feed": True,
        "in_sitemap": True,
        "summary": "El penal tendrá capacidad para 2.000 reos de alta peligrosidad.",
        "body": [
            "El Gobierno de Honduras dio inicio este sábado a la construcción de un centro penal de máxima "
            "seguridad en las Islas del Cisne, un archipiélago del mar Caribe situado a unos 250 kilómetros de "
            "la costa norte del país, donde serán recluidos los cabecillas de las maras y pandillas.",
            "La primera fase de la obra, a cargo de la Secretaría de Defensa, contempla un muelle, una pista de "
            "aterrizaje ampliada y los primeros módulos de celdas. Las autoridades estiman que el penal podrá "
            "albergar a 2.000 reos de alta peligrosidad y que comenzará a funcionar a finales de 2027.",
            "El ministro de Seguridad explicó que el aislamiento geográfico impedirá que los líderes criminales "
            "sigan dirigiendo extorsiones desde las cárceles, un problema que el sistema penitenciario hondureño "
            "no ha logrado resolver pese a las intervenciones militares de los últimos años.",
            "Organizaciones ambientalistas advirtieron que las islas forman parte de un área protegida con "
            "arrecifes y aves marinas, y pidieron conocer el estudio de impacto ambiental. El Colegio de Abogados, "
            "por su parte, cuestionó que los familiares y defensores de los internos tengan que viajar en barco o "
            "avión para visitarlos.",
            "El proyecto fue anunciado hace más de un año como parte de la estrategia contra la extorsión, que "
            "incluye un estado de excepción parcial en las principales ciudades. El Gobierno ha dicho que no "
            "busca copiar el modelo de El Salvador, aunque reconoce que las medidas de su vecino redujeron la "
            "violencia.",
            "Las primeras cuadrillas de trabajadores llegaron a las islas a bordo de un buque de la Fuerza Naval, "
            "junto con maquinaria pesada y materiales de construcción.",
        ],
    },
    {
        "key": "acn-es-honduras-prision-isla",
        "outlet": "agencia-continental",
        "story": "honduras-island-prison",
        "path": "/noticias/2026-11-21/honduras-comienza-construir-prision-isla-caribe",
        "section": "america-latina",
        "title": "Honduras comienza a construir una prisión en una isla del Caribe para líderes de pandillas",
        "authors": ["Esteban Quirós"],
        "published": "2026-11-21T10:05:00-05:00",
        "page_dates": ["json-ld", "meta", "text"],
        "in_feed": True,
        "in_sitemap": True,
        "summary": "El penal en las Islas del Cisne podrá recluir a 2.000 presos de alta peligrosidad.",
        "body": [
            "TEGUCIGALPA, 21 nov (ACN) - Honduras comenzó este sábado a construir una cárcel de máxima seguridad "
            "en las Islas del Cisne, en el mar Caribe, para aislar a los líderes de las pandillas que, según el "
            "Gobierno, dirigen la extorsión desde los penales del país.",
            "Un buque de la Fuerza Naval trasladó a las islas a los primeros trabajadores y la maquinaria para "
            "levantar un muelle, ampliar la pista de aterrizaje y construir los módulos de celdas, informó la "
            "Secretaría de Defensa.",
            "El centro penal tendrá capacidad para unos 2.000 reclusos y debería entrar en funcionamiento a "
            "finales de 2027, según las estimaciones oficiales.",
            "Grupos ambientalistas expresaron preocupación por el impacto de la obra en un área protegida con "
            "arrecifes de coral, mientras que abogados y organizaciones de derechos humanos advirtieron de que la "
            "distancia dificultará el derecho a la defensa de los presos.",
            "La extorsión es uno de los delitos que más afecta a los hondureños, en especial a transportistas y "
            "pequeños comerciantes, que pagan cuotas semanales a las pandillas para poder trabajar.",
            "El proyecto se anunció por primera vez el año pasado, como parte de un plan de seguridad que incluyó "
            "la intervención militar de las cárceles y un estado de excepción parcial.",
            "El Gobierno ha insistido en que el penal no es una copia del Centro de Confinamiento del "
            "Terrorismo de El Salvador, aunque varios funcionarios hondureños han visitado esa cárcel en "
            "los últimos años. Las Islas del Cisne, deshabitadas salvo por una pequeña guarnición militar, "
            "se encuentran a unos 250 kilómetros de la costa.",
        ],
    },
]
